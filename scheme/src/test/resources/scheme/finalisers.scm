;;; finalise! and finalise-last!: both kinds, their order, and the ephemeron-closure pitfall.
(define events '())
(define (note! x) (set! events (cons x events)))
(define (events-in-order) (reverse events))
(define (report obj) (note! (car obj)))

;; Values dying in the same collection: finalised in reverse order of registration.
(define (register-abc!)
  (let ((a (list 'a)) (b (list 'b)) (c (list 'c)))
    (finalise! report a) (finalise! report b) (finalise! report c)))
(register-abc!)
(gc)
(assert-equal '(c b a) (events-in-order) "reverse registration order within a collection")
(gc)
(assert-equal '(c b a) (events-in-order) "each finaliser runs once")

;; (gc) runs the pending finalisers before returning.
(set! events '())
(define (register-one!) (finalise! report (list 'one)))
(register-one!)
(gc)
(assert-equal '(one) events "(gc) runs pending finalisers before returning")

;; finalise! receives the object itself, and may resurrect it.
(define saved #f)
(define (save! obj) (set! saved obj))
(define (register-saved!) (finalise! save! (list 'resurrected)))
(register-saved!)
(gc)
(assert-equal '(resurrected) saved "finalise! gets the value and may keep it")

;; finalise-last! runs after the value is dead for good, with no argument; weak references to
;; the value are already cleared.
(set! events '())
(define box #f)
(define (last-thunk) (note! (list 'last (weak-box-value box 'cleared))))
(define (register-last!)
  (let ((v (list 'v)))
    (set! box (make-weak-box v))
    (finalise-last! last-thunk v)))
(register-last!)
(gc)
(assert-equal '((last cleared)) events "finalise-last! runs after weak references are cleared")

;; With both kinds on one value: finalise! first (the value is resurrected), finalise-last!
;; only at a later collection that finds it dead again.
(set! events '())
(define (first-fn obj) (note! 'first))
(define (last-fn) (note! 'last))
(define (register-both!)
  (let ((v (list 'both)))
    (finalise-last! last-fn v)
    (finalise! first-fn v)))
(register-both!)
(gc)
(assert-equal '(first) (events-in-order) "finalise! runs at the first collection")
(gc)
(assert-equal '(first last) (events-in-order) "finalise-last! at the next one")

;; Of two values dying in the same major collection, finalise! functions run before
;; finalise-last! ones, whatever the registration order.
(set! events '())
(define x (list 'x))
(define y (list 'y))
(finalise-last! (lambda () (note! 'last-x)) x)
(finalise! (lambda (o) (note! 'first-y)) y)
(gc 'minor)
(set! x #f)
(set! y #f)
(gc)
(assert-equal '(first-y last-x) (events-in-order) "first kind before last kind")

;; The ephemeron-closure pitfall: a finaliser whose closure refers to its own object keeps the
;; object alive (the function is a root), so it never runs.
(set! events '())
(define (make-trapped!)
  (let ((obj (list 'trapped)))
    (finalise! (lambda (o) (note! (car obj))) obj)))
(make-trapped!)
(gc) (gc) (gc)
(assert-equal '() events "a finaliser capturing its own object never runs")

;; A finaliser that raises: the error reaches the code at the safe point.
(define (boom obj) (error "finaliser failed"))
(define (register-boom!) (finalise! boom (list 'b)))
(register-boom!)
(assert-error 'error "finaliser failed" (lambda () (gc)))

;; Finalisers run promptly at safe points after an implicit collection too.
(set! events '())
(define (register-many!) (do ((i 0 (+ i 1))) ((= i 100)) (finalise! report (list i))))
(register-many!)
(define (churn n) (if (> n 0) (begin (make-vector 100 n) (churn (- n 1)))))
(churn 20000)
(gc)
(assert-equal 100 (length events) "all finalisers ran")
(assert-error 'wrong-type "finalise!: expected a procedure" (lambda () (finalise! 5 (list 1))))

;; Only heap-allocated objects with an identity that can die can be finalised or guarded, as
;; OCaml's Gc.finalise refuses immediates and floats; finalise!, finalise-last! and guardians
;; agree on which.
(assert-error 'wrong-type "finalise!: cannot finalise 5 (an exact integer is an immediate value, not a heap-allocated object)"
  (lambda () (finalise! report 5)))
(assert-error 'wrong-type "finalise!: cannot finalise () (a constant, not a heap-allocated object: it never dies)"
  (lambda () (finalise! report '())))
(assert-error 'wrong-type "finalise-last!: cannot finalise #t (a constant" (lambda () (finalise-last! last-fn #t)))
(assert-error 'wrong-type "finalise!: cannot finalise #\\a (a character's identity is not guaranteed"
  (lambda () (finalise! report #\a)))
(assert-error 'wrong-type "finalise-last!: cannot finalise 1.5 (a flonum's identity is not guaranteed)"
  (lambda () (finalise-last! last-fn 1.5)))
(define refused (list 7 '() #t #f #\a #\x3bb (eof-object) (if #f #f) 1.5 -0.0))
(define g-refuses (make-guardian))
(for-each
  (lambda (v)
    (assert-error 'wrong-type "finalise!: cannot finalise" (lambda () (finalise! report v)))
    (assert-error 'wrong-type "finalise-last!: cannot finalise" (lambda () (finalise-last! last-fn v)))
    (assert-error 'wrong-type "guardian: cannot register" (lambda () (g-refuses v))))
  refused)
(assert-error 'wrong-type "guardian: cannot register 1.5 (a flonum's identity is not guaranteed)"
  (lambda () (g-refuses 1.5)))
;; Everything else is heap-allocated, empty vectors and strings included: each is a new object.
(define accepted-events '())
(define (accept-note obj) (set! accepted-events (cons obj accepted-events)))
(define (register-accepted!)
  (for-each (lambda (v) (finalise! accept-note v) (g-refuses v))
            (list (vector) (make-string 0) (string-copy "s") (list 1) (make-vector 2 0) (lambda () 1)
                  (make-weak-box 1) (make-eq-hashtable))))
(register-accepted!)
(gc)
(assert-equal 8 (length accepted-events) "finalisers of empty vectors, strings and other objects run")
(define (drain g acc) (let ((x (g))) (if x (drain g (cons x acc)) acc)))
(assert-equal 8 (length (drain g-refuses '())) "the guardian returns them too")

;; What a finaliser raises reaches the code at the safe point unchanged (OCaml lets the
;; exception propagate from there): a guard there sees the very object, not a wrapper.
(define marker (list 'marker))
(define (raise-marker obj) (raise marker))
(define (register-raiser!) (finalise! raise-marker (list 'r)))
(register-raiser!)
(assert-equal 'same-object
  (guard (e ((eq? e marker) 'same-object) (else (list 'other e))) (gc))
  "a non-condition raised by a finaliser reaches the guard unchanged")
(define made-earlier (guard (e (#t e)) (error "made earlier" 1 2)))
(define (raise-condition obj) (raise made-earlier))
(define (register-condition-raiser!) (finalise! raise-condition (list 'c)))
(register-condition-raiser!)
(assert-equal 'same-condition
  (guard (e ((eq? e made-earlier) 'same-condition) (else (list 'other e))) (gc))
  "an error object raised by a finaliser reaches the guard unchanged")
(define (register-error-last!) (finalise-last! (lambda () (error "last failed" 'irritant)) (list 'l)))
(register-error-last!)
(assert-equal '("last failed" (irritant))
  (guard (e ((error-object? e) (list (error-object-message e) (error-object-irritants e)))) (gc) (gc))
  "error raised by a finalise-last! thunk keeps its message and irritants")
(assert-equal 'inner
  (guard (e ((symbol? e) e)) (with-output-to-string (lambda () (raise 'inner))))
  "a raise inside with-output-to-string reaches the outer guard unchanged")

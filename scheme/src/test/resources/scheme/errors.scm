;;; Errors: error objects, guard, raise, with-exception-handler, and every runtime error class
;;; with its message (naming the procedure and the offending value).
(assert-equal "caught" (guard (e (#t "caught")) (error "boom")) "guard catches error")
(assert-equal '("msg" (1 2)) (guard (e ((error-object? e) (list (error-object-message e) (error-object-irritants e))))
                              (error "msg" 1 2)) "error-object accessors")
(assert-equal 'sym (guard (e ((symbol? e) e)) (raise 'sym)) "raise a non-condition")
(assert-equal 42 (guard (e ((string? e) 0) ((number? e) e)) (raise 42)) "guard clause selection")
(assert-equal 'outer (guard (o (#t 'outer)) (guard (i ((string? i) 'inner)) (raise 'not-a-string))) "guard re-raises when no clause matches")
(assert-equal 11 (with-exception-handler (lambda (e) 10) (lambda () (+ 1 (raise-continuable 'c)))) "raise-continuable returns")
(assert-equal 'handled
  (guard (e ((error-object? e) 'handled))
    (with-exception-handler (lambda (e) 'returned) (lambda () (raise 'non-continuable))))
  "a handler returning from raise is an error")
(define log '())
(assert-equal 'done
  (guard (e (#t 'done))
    (with-exception-handler
      (lambda (e) (set! log (cons e log)) (raise 'again))
      (lambda () (raise 'first))))
  "handler runs with the outer handlers")
(assert-equal '(first) log "handler saw the object")
(define (deep n) (if (= n 0) (raise 'bottom) (+ 1 (deep (- n 1)))))
(assert-equal 'bottom (guard (e (#t e)) (deep 10000)) "guard unwinds deep frames")
(assert-true (error-object? (guard (e (#t e)) (car 1))) "runtime errors are error objects")
(assert-equal 5 (guard (e (#t 5)) (vector-ref (vector) 0)) "guard catches runtime errors")
(define k 0)
(define (count-after-error)
  (guard (e (#t (set! k (+ k 1)) k)) (error "x")))
(count-after-error)
(assert-equal 2 (count-after-error) "guard is reusable")

;; unbound variable
(assert-error 'unbound-variable "unbound variable: no-such-variable" (lambda () no-such-variable))
(assert-error 'unbound-variable "set!: unbound variable: also-missing" (lambda () (set! also-missing 1)))
(assert-error 'unbound-variable "variable used before its definition" (lambda () (letrec ((a b) (b 1)) a)))
;; wrong type
(assert-error 'wrong-type "car: expected a pair, got 5" (lambda () (car 5)))
(assert-error 'wrong-type "+: expected a number, got \"a\"" (lambda () (+ 1 "a")))
(assert-error 'wrong-type "vector-ref: expected a vector, got (1 2)" (lambda () (vector-ref '(1 2) 0)))
(assert-error 'wrong-type "string-length: expected a string, got foo" (lambda () (string-length 'foo)))
(assert-error 'wrong-type "application: not a procedure: 5" (lambda () (5 1)))
(assert-error 'wrong-type "length: expected a proper list, got (1 . 2)" (lambda () (length '(1 . 2))))
(define-record-type thing (make-thing a) thing? (a thing-a))
(assert-error 'wrong-type "thing-a: expected a record of type thing, got 7" (lambda () (thing-a 7)))
;; wrong arity
(define (two a b) a)
(assert-error 'wrong-arity "two: wrong number of arguments: expected 2, got 3" (lambda () (two 1 2 3)))
(assert-error 'wrong-arity "car: wrong number of arguments: expected 1, got 2" (lambda () (car '(1) '(2))))
(define (at-least-one a . r) a)
(assert-error 'wrong-arity "at-least-one: wrong number of arguments: expected at least 1, got 0" (lambda () (at-least-one)))
(assert-error 'wrong-arity "make-thing: wrong number of arguments: expected 1, got 2" (lambda () (make-thing 1 2)))
;; bad index
(assert-error 'bad-index "vector-ref: index 5 out of range [0, 3) for vector #(1 2 3)" (lambda () (vector-ref (vector 1 2 3) 5)))
(assert-error 'bad-index "vector-set!: index -1 out of range" (lambda () (vector-set! (vector 1) -1 0)))
(assert-error 'bad-index "string-ref: index 3 out of range [0, 3) for string \"abc\"" (lambda () (string-ref "abc" 3)))
(assert-error 'bad-index "list-ref: index 4 out of range" (lambda () (list-ref '(1 2) 4)))
(assert-error 'bad-index "substring: end index 9 out of range" (lambda () (substring "abc" 1 9)))
;; integer overflow
(assert-error 'overflow "+: integer overflow: 4611686018427387903 + 1" (lambda () (+ 4611686018427387903 1)))
(assert-error 'overflow "*: integer overflow" (lambda () (* 4611686018427387903 2)))
(assert-error 'overflow "-: integer overflow" (lambda () (- -4611686018427387904 1)))
(assert-error 'overflow "-: integer overflow" (lambda () (- -4611686018427387904)))
(assert-error 'overflow "expt: integer overflow" (lambda () (expt 2 62)))
(assert-error 'overflow "abs: integer overflow" (lambda () (abs -4611686018427387904)))
;; division by zero
(assert-error 'division-by-zero "quotient: division by zero" (lambda () (quotient 1 0)))
(assert-error 'division-by-zero "/: division by zero" (lambda () (/ 1 0)))
;; user errors
(assert-error 'error "something failed" (lambda () (error "something failed" 'x)))

;;; Closures hold only their free variables (safe for space), for every binding form.
;;;
;;; Each shape below binds a value v beside a closure that does not mention v, and returns the
;;; closure. While the closure is still alive (it is called after the collections), v must be
;;; collected: its weak box clears and its finaliser runs. With closures that kept their whole
;;; environment frame, v stayed reachable from the closure and neither happened.

(define finalised '())
(define watched-box #f)

;; Registers a weak box and a finaliser for v, naming the shape.
(define (watch! name v)
  (set! watched-box (make-weak-box v))
  (finalise! (lambda (o) (set! finalised (cons name finalised))) v))

(define (check-shape name expected make)
  (set! finalised '())
  (let ((kept (make (lambda (v) (watch! name v)))))
    (gc) (gc)
    (assert-equal 'collected (weak-box-value watched-box 'collected) (string-append name ": weak box of v cleared"))
    (assert-equal (list name) finalised (string-append name ": finaliser of v ran"))
    (assert-equal expected (kept) (string-append name ": the closure still works"))))

(check-shape "lambda" 'kept
  (lambda (watch) ((lambda (v name) (watch v) (lambda () name)) (list 'v) 'kept)))

(define (make-getter v name watch) (watch v) (lambda () name))
(check-shape "procedure definition" 'kept
  (lambda (watch) (make-getter (list 'v) 'kept watch)))

(check-shape "let" 'kept
  (lambda (watch) (let ((v (list 'v)) (name 'kept)) (watch v) (lambda () name))))

(check-shape "let*" 'kept
  (lambda (watch) (let* ((v (list 'v)) (name 'kept)) (watch v) (lambda () name))))

(check-shape "letrec" 'kept
  (lambda (watch)
    (letrec ((v (list 'v)) (name 'kept) (get (lambda () name)))
      (watch v)
      get)))

(check-shape "letrec*" 'kept
  (lambda (watch)
    (letrec* ((v (list 'v)) (name 'kept) (get (lambda () name)))
      (watch v)
      get)))

(check-shape "named let" 0
  (lambda (watch)
    (let loop ((i 3) (v (list 'v)))
      (if (> i 0)
          (loop (- i 1) v)
          (begin (watch v) (lambda () i))))))

(check-shape "internal define" 'kept
  (lambda (watch)
    (define v (list 'v))
    (define name 'kept)
    (define (get) name)
    (watch v)
    get))

(check-shape "do" 2
  (lambda (watch)
    (do ((i 0 (+ i 1))
         (v (list 'v))
         (fs '() (cons (lambda () i) fs)))
        ((= i 3) (watch v) (car fs)))))

(check-shape "nested lambdas" 'kept
  (lambda (watch)
    (let ((v (list 'v)) (name 'kept))
      (watch v)
      (let ((middle (lambda () (lambda () name))))
        (middle)))))

(check-shape "set! on a captured variable" 2
  (lambda (watch)
    (let ((v (list 'v)) (count 0))
      (watch v)
      (let ((inc (lambda () (set! count (+ count 1)) count)))
        (inc)
        inc))))

(check-shape "guard handler" 'x
  (lambda (watch)
    (guard (e (#t (lambda () e)))
      (let ((v (list 'v)))
        (watch v)
        (raise 'x)))))

(check-shape "rest parameter" '(kept)
  (lambda (watch)
    ((lambda (v . rest) (watch v) (lambda () rest)) (list 'v) 'kept)))

;; The issue's example: two finalisers on v, neither mentioning it. Both must run (OCaml and
;; Chez run both): first at the collection that finds v dead, last at the next one.
(define ran '())
(define (setup)
  (let ((v (list 7)) (name 'last))
    (finalise-last! (lambda () (set! ran (cons name ran))) v)
    (finalise! (lambda (o) (set! ran (cons 'first ran))) v)
    #t))
(setup)
(gc) (gc)
(assert-equal '(last first) ran "finalise! and finalise-last! both run when their functions do not mention v")

;; A closure that does mention its value keeps it: the pitfall is still there when it should be.
(define trapped-ran #f)
(define (make-trapped)
  (let ((obj (list 'trapped)))
    (finalise! (lambda (o) (set! trapped-ran #t)) obj)
    (lambda () obj)))
(define trapped (make-trapped))
(gc) (gc)
(assert-false trapped-ran "a value the live closure refers to is not finalised")
(assert-equal '(trapped) (trapped) "and the closure still has it")

;;; Closure semantics under flat closures: sharing, assignment, recursion, fresh bindings.

;; Two closures share an assigned variable through its box.
(define (make-counter)
  (let ((n 0))
    (cons (lambda () (set! n (+ n 1)) n) (lambda () n))))
(define c (make-counter))
((car c)) ((car c))
(assert-equal 2 ((cdr c)) "closures share an assigned variable")
(define c2 (make-counter))
((car c2))
(assert-equal '(2 1) (list ((cdr c)) ((cdr c2))) "each activation has its own variable")

;; A captured parameter assigned after the capture.
(define (late-assign x)
  (let ((get (lambda () x)))
    (set! x (* x 10))
    (get)))
(assert-equal 70 (late-assign 7) "a captured parameter assigned later is seen by the closure")

;; Assignment through a closure is seen by the frame.
(define (assign-through x)
  ((lambda () (set! x 'changed)))
  x)
(assert-equal 'changed (assign-through 'orig) "an assignment in a closure is seen by the binding frame")

;; Mutual recursion between internal definitions (each captures the other before it is defined).
(define (parity n)
  (define (ev? k) (if (= k 0) #t (od? (- k 1))))
  (define (od? k) (if (= k 0) #f (ev? (- k 1))))
  (list (ev? n) (od? n)))
(assert-equal '(#t #f) (parity 10) "mutually recursive internal definitions")
(assert-equal '(#f #t) (parity 7) "mutually recursive internal definitions, odd")

;; letrec mutual recursion.
(assert-equal #t (letrec ((e? (lambda (k) (if (= k 0) #t (o? (- k 1)))))
                          (o? (lambda (k) (if (= k 0) #f (e? (- k 1))))))
                   (e? 100))
              "letrec mutual recursion")

;; A named let that rebinds its own name keeps working (the name is not taken as "self").
(assert-equal 'rebound
  (let loop ((i 0))
    (if (= i 0) (begin (set! loop (lambda (j) 'rebound)) (loop 1)) 'original))
  "set! of a named let's name is honoured")

;; A procedure that refers to itself, passed around: self-reference is the closure itself.
(define (make-countdown)
  (define (down n) (if (= n 0) 'done (down (- n 1))))
  down)
(define countdown (make-countdown))
(assert-equal 'done (countdown 100000) "a self-referring internal procedure loops in constant space")
(define (self-escape)
  (define (me) me)
  (me))
(assert-true (procedure? (self-escape)) "a procedure returning itself")
(assert-true (let ((me (self-escape))) (eq? me (me))) "... which is the running closure itself")

;; Fresh bindings per iteration of do, and per call of a named let.
(define thunks
  (do ((i 0 (+ i 1)) (acc '() (cons (lambda () i) acc)))
      ((= i 3) (reverse acc))))
(assert-equal '(0 1 2) (map (lambda (t) (t)) thunks) "do binds fresh variables on each iteration")

;; Deeply nested lambdas reach variables several procedures out.
(define (nest a)
  (lambda (b)
    (lambda (c)
      (lambda (d) (list a b c d)))))
(assert-equal '(1 2 3 4) ((((nest 1) 2) 3) 4) "free variables through several closures")

;; A variable captured from a block inside a procedure, inside a block.
(define (blocks x)
  (let ((y (+ x 1)))
    (let ((z (+ y 1)))
      (lambda () (list x y z)))))
(assert-equal '(1 2 3) ((blocks 1)) "captures from nested blocks")

;; Internal definitions read before they are defined are still an error, through a closure too.
(assert-error 'unbound-variable "used before its definition"
  (lambda () (define (f) later) (define x (f)) (define later 1) x))

;; A guard inside a closure sees the closure's variables.
(define (guarded k) (lambda () (guard (e (#t (list k e))) (raise 'boom))))
(assert-equal '(7 boom) ((guarded 7)) "guard handler sees the closure's free variables")

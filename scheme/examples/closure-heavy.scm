;;; A closure-heavy workload, for measuring the cost of the closure representation
;;; (docs/benchmarks.md, "Scheme: flat closures"). Every loop makes and calls closures with free
;;; variables. It checks its own answer and exits with status 1 if it is wrong.
;;;
;;;   ./ephemera run scheme/examples/closure-heavy.scm

;; Continuation-passing Fibonacci: a closure per call, capturing n and k.
(define (cps-fib n k)
  (if (< n 2)
      (k n)
      (cps-fib (- n 1) (lambda (a) (cps-fib (- n 2) (lambda (b) (k (+ a b))))))))

;; Composition of adders: two closures made and three called per iteration.
(define (compose f g) (lambda (x) (f (g x))))
(define (make-adder n) (lambda (x) (+ x n)))
(define (sum-composed n)
  (let loop ((i 0) (acc 0))
    (if (= i n)
        acc
        (loop (+ i 1) ((compose (make-adder i) (make-adder 1)) acc)))))

;; Counters: a captured, assigned variable (boxed), updated through the closure.
(define (make-counter)
  (let ((n 0))
    (lambda () (set! n (+ n 1)) n)))
(define (count-with-closures k)
  (let ((c (make-counter)))
    (do ((i 0 (+ i 1))) ((= i k) (c)) (c))))

;; Higher-order list code: map and fold with lambdas over local variables.
(define (scaled-sum xs scale offset)
  (fold (lambda (x acc) (+ acc x)) 0 (map (lambda (x) (+ offset (* scale x))) xs)))
(define (list-work rounds)
  (let ((xs (iota 1000)))
    (let loop ((r 0) (total 0))
      (if (= r rounds) total (loop (+ r 1) (+ total (scaled-sum xs r 1)))))))

(define (run-all)
  (list (cps-fib 27 (lambda (x) x))
        (sum-composed 2000000)
        (count-with-closures 3000000)
        (list-work 1000)))

(define result (run-all))
(display result)
(newline)
(unless (equal? result '(196418 2000001000000 3000001 249501250000))
  (display "wrong result")
  (newline)
  (exit 1))

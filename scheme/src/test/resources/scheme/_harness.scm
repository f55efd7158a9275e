;;; The test harness the Scheme test files use. Each assertion records a pass or a failure
;;; (with a description); the JUnit runner reads (test-failures) and (test-passes) at the end.

(define %passes 0)
(define %failures '())

(define (%pass!) (set! %passes (+ %passes 1)))
(define (%fail! what) (set! %failures (cons what %failures)))

(define (test-passes) %passes)
(define (test-failures) (reverse %failures))

(define (%describe name expected actual)
  (with-output-to-string
    (lambda () (display name) (display ": expected ") (write expected) (display ", got ") (write actual))))

;; (assert-equal expected actual [name]): equal? comparison.
(define (assert-equal expected actual . name)
  (if (equal? expected actual)
      (%pass!)
      (%fail! (%describe (if (null? name) "assert-equal" (car name)) expected actual))))

(define (assert-true x . name)
  (if x (%pass!) (%fail! (%describe (if (null? name) "assert-true" (car name)) #t x))))

(define (assert-false x . name)
  (if x (%fail! (%describe (if (null? name) "assert-false" (car name)) #f x)) (%pass!)))

;; (assert-error kind message-fragment thunk): thunk must raise an error object of that kind
;; (a symbol, or #f for any) whose message contains message-fragment.
(define (%contains? s fragment)
  (let ((n (string-length s)) (k (string-length fragment)))
    (let loop ((i 0))
      (cond ((> (+ i k) n) #f)
            ((string=? (substring s i (+ i k)) fragment) #t)
            (else (loop (+ i 1)))))))

(define (assert-error kind fragment thunk)
  (let ((result (guard (e (#t (list 'raised e))) (thunk) (list 'returned))))
    (cond ((eq? (car result) 'returned)
           (%fail! (string-append "assert-error: expected an error containing \"" fragment "\", but nothing was raised")))
          ((not (error-object? (cadr result)))
           (%fail! (%describe "assert-error: raised a non-error object" fragment (cadr result))))
          ((and kind (not (eq? kind (error-object-kind (cadr result)))))
           (%fail! (%describe "assert-error: wrong kind" kind (error-object-kind (cadr result)))))
          ((not (%contains? (error-object-message (cadr result)) fragment))
           (%fail! (%describe "assert-error: wrong message" fragment (error-object-message (cadr result)))))
          (else (%pass!)))))

;; (assert-raises predicate thunk): thunk must raise an object satisfying predicate.
(define (assert-raises pred thunk)
  (let ((result (guard (e (#t (list 'raised e))) (thunk) (list 'returned))))
    (if (and (eq? (car result) 'raised) (pred (cadr result)))
        (%pass!)
        (%fail! (%describe "assert-raises" 'raised result)))))

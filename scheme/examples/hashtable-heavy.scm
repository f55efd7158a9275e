;;; A hashtable-heavy workload, for measuring the Scheme's SRFI 126 hashtables (docs/benchmarks.md,
;;; "Scheme: hashtables on core tables"). Every kind of table is exercised: eqv counts, equal keys
;;; (strings and lists), eq keys with deletions, an ephemeral-key memo table whose keys die,
;;; make-hashtable with Scheme procedures, and whole-table snapshots. It uses only procedures
;;; every version has had, checks its own answer and exits with status 1 if it is wrong.
;;;
;;;   ./ephemera run scheme/examples/hashtable-heavy.scm

;; eqv table, fixnum keys: hashtable-update! counts 5003 residues over 300,000 numbers.
(define (eqv-counts n)
  (let ((t (make-eqv-hashtable)))
    (do ((i 0 (+ i 1))) ((= i n))
      (hashtable-update! t (modulo (* i 7919) 5003) (lambda (c) (+ c 1)) 0))
    (list (hashtable-size t) (hashtable-ref t 0 #f))))

;; equal table, string and list keys: 40,000 of each set, then each looked up by an equal copy.
(define (equal-keys n)
  (let ((t (make-equal-hashtable)))
    (do ((i 0 (+ i 1))) ((= i n))
      (hashtable-set! t (number->string i) i)
      (hashtable-set! t (list i "x") (- i)))
    (let loop ((i 0) (sum 0))
      (if (= i n)
          (list (hashtable-size t) sum)
          (loop (+ i 1) (+ sum (hashtable-ref t (number->string i) 0) (hashtable-ref t (list i "x") 0) 1))))))

;; eq table, pair keys: 100,000 set, all looked up, every other one deleted.
(define (eq-keys n)
  (let ((t (make-eq-hashtable))
        (keys (make-vector n #f)))
    (do ((i 0 (+ i 1))) ((= i n))
      (let ((k (cons i i)))
        (vector-set! keys i k)
        (hashtable-set! t k i)))
    (let ((sum (let loop ((i 0) (sum 0))
                 (if (= i n) sum (loop (+ i 1) (+ sum (hashtable-ref t (vector-ref keys i) 0)))))))
      (do ((i 0 (+ i 2))) ((>= i n))
        (hashtable-delete! t (vector-ref keys i)))
      (list (hashtable-size t) sum (hashtable-contains? t (vector-ref keys 1))))))

;; ephemeral-key memo table: 200,000 keys that die at once, values referring to their keys. (Two
;; collections: with the Scheme's old table, 6 of the entries outlived the first one here.)
(define (memo n)
  (let ((t (make-eq-hashtable 1024 'ephemeral-key)))
    (do ((i 0 (+ i 1))) ((= i n))
      (let ((key (list i)))
        (hashtable-set! t key (cons key (* i i)))))
    (gc)
    (gc)
    (hashtable-size t)))

;; make-hashtable with Scheme procedures: 20,000 keys in 1,024 hash classes.
(define (custom n)
  (let ((t (make-hashtable (lambda (k) (modulo k 1024)) =)))
    (do ((i 0 (+ i 1))) ((= i n))
      (hashtable-set! t i (* 2 i)))
    (let loop ((i 0) (sum 0))
      (if (= i n) (list (hashtable-size t) sum) (loop (+ i 1) (+ sum (hashtable-ref t i 0)))))))

;; Snapshots: keys, values, entries and alists of a 10,000-entry weak-value table, 50 times.
(define (snapshots rounds)
  (let ((t (make-eqv-hashtable 16 'weak-value))
        (values (make-vector 10000 #f)))
    (do ((i 0 (+ i 1))) ((= i 10000))
      (vector-set! values i (list i))
      (hashtable-set! t i (vector-ref values i)))
    (let loop ((r 0) (total 0))
      (if (= r rounds)
          total
          (loop (+ r 1)
                (+ total
                   (vector-length (hashtable-keys t))
                   (vector-length (hashtable-values t))
                   (vector-length (car (hashtable-entries t)))
                   (length (hashtable->alist t))))))))

(define (run-all)
  (list (eqv-counts 300000)
        (equal-keys 40000)
        (eq-keys 100000)
        (memo 200000)
        (custom 20000)
        (snapshots 50)))

(define result (run-all))
(display result)
(newline)
(unless (equal? result '((5003 60) (80000 40000) (50000 4999950000 #t) 0 (20000 399980000) 2000000))
  (display "wrong result")
  (newline)
  (exit 1))

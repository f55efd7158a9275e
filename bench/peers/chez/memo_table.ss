;; Peer program: memo-table for Chez Scheme 9.5.
;; Usage: scheme --script memo_table.ss --n N [--keys dead|live]
;; N (hashtable-set! ht key (cons key i)) on a (make-ephemeron-eq-hashtable), where
;; key = (box i) is fresh; with --keys live every key is also kept in a root vector.
;; The N sets plus ONE (collect (collect-maximum-generation)) are timed (monotonic
;; clock).  "alive" = (hashtable-size ht) after that collection.
;; "peak_heap_words" = (maximum-memory-bytes) / 8 (peak bytes the Chez heap occupied,
;; including the boot heap).  Prints exactly one JSON line on stdout.
;; See bench/peers/README.md.

(define (usage)
  (display "usage: memo_table.ss --n N [--keys dead|live]\n" (current-error-port))
  (exit 2))

(define (string-index s ch)
  (let loop ([i 0])
    (cond [(= i (string-length s)) #f]
          [(char=? (string-ref s i) ch) i]
          [else (loop (+ i 1))])))

(define n 1000000)
(define keys-mode "dead")

(define (set-flag! k v)
  (cond [(string=? k "--n")
         (let ([x (string->number v)])
           (unless (and (fixnum? x) (>= x 0)) (usage))
           (set! n x))]
        [(string=? k "--keys")
         (unless (or (string=? v "dead") (string=? v "live")) (usage))
         (set! keys-mode v)]
        [else (display (format "unknown flag ~a\n" k) (current-error-port)) (usage)]))

(let loop ([args (command-line-arguments)])
  (unless (null? args)
    (let* ([a (car args)]
           [p (string-index a #\=)])
      (cond [(and p (> (string-length a) 2) (string=? (substring a 0 2) "--"))
             (set-flag! (substring a 0 p) (substring a (+ p 1) (string-length a)))
             (loop (cdr args))]
            [(null? (cdr args))
             (display (format "missing value for ~a\n" a) (current-error-port))
             (usage)]
            [else (set-flag! a (cadr args)) (loop (cddr args))]))))

(define (now-seconds)
  (let ([t (current-time 'time-monotonic)])
    (+ (time-second t) (/ (time-nanosecond t) 1e9))))

(define live? (string=? keys-mode "live"))
(define root (if live? (make-vector n #f) (make-vector 0)))
(define ht (make-ephemeron-eq-hashtable))

(define t0 (now-seconds))
(do ([i 0 (fx+ i 1)]) ((fx= i n))
  (let ([k (box i)])
    (when live? (vector-set! root i k))
    (hashtable-set! ht k (cons k i))))
(collect (collect-maximum-generation))
(define t1 (now-seconds))

(define alive (hashtable-size ht))
(unless (= alive (if live? n 0))
  (display (format "memo_table.ss: note alive=~a, expected ~a\n" alive (if live? n 0))
           (current-error-port)))

(printf "{\"bench\":\"memo-table\",\"impl\":\"chez\",\"n\":~a,\"keys\":\"~a\",\"seconds\":~,6f,\"alive\":~a,\"peak_heap_words\":~a}\n"
        n keys-mode (- t1 t0) alive (quotient (maximum-memory-bytes) 8))
;; keep the root vector alive until here
(when (> (vector-length root) 0) (vector-ref root 0))

;;; The part of the standard library written in Scheme itself: the higher-order list and
;;; vector procedures. They run on the same machine as user code, so deep recursion and
;;; tail calls behave the same way here as anywhere.

(define (%cars ls) (if (pair? ls) (cons (car (car ls)) (%cars (cdr ls))) '()))
(define (%cdrs ls) (if (pair? ls) (cons (cdr (car ls)) (%cdrs (cdr ls))) '()))
(define (%all-pairs? ls) (or (null? ls) (and (pair? (car ls)) (%all-pairs? (cdr ls)))))

(define (map f l . ls)
  (if (null? ls)
      (let loop ((l l))
        (if (pair? l) (let ((x (f (car l)))) (cons x (loop (cdr l)))) '()))
      (let loop ((ls (cons l ls)))
        (if (%all-pairs? ls) (let ((x (apply f (%cars ls)))) (cons x (loop (%cdrs ls)))) '()))))

(define (for-each f l . ls)
  (if (null? ls)
      (let loop ((l l))
        (if (pair? l) (begin (f (car l)) (loop (cdr l)))))
      (let loop ((ls (cons l ls)))
        (if (%all-pairs? ls) (begin (apply f (%cars ls)) (loop (%cdrs ls)))))))

(define (filter pred l)
  (let loop ((l l))
    (cond ((null? l) '())
          ((pred (car l)) (cons (car l) (loop (cdr l))))
          (else (loop (cdr l))))))

(define (fold kons knil l . ls)
  (if (null? ls)
      (let loop ((acc knil) (l l))
        (if (pair? l) (loop (kons (car l) acc) (cdr l)) acc))
      (let loop ((acc knil) (ls (cons l ls)))
        (if (%all-pairs? ls)
            (loop (apply kons (append (%cars ls) (list acc))) (%cdrs ls))
            acc))))

(define (fold-right kons knil l)
  (let loop ((l l))
    (if (pair? l) (kons (car l) (loop (cdr l))) knil)))

(define (reduce f ridentity l)
  (if (null? l) ridentity (fold f (car l) (cdr l))))

(define (delete x l . eq)
  (let ((same? (if (null? eq) equal? (car eq))))
    (filter (lambda (y) (not (same? x y))) l)))

(define (any pred l)
  (let loop ((l l))
    (and (pair? l) (or (pred (car l)) (loop (cdr l))))))

(define (every pred l)
  (let loop ((l l) (last #t))
    (if (pair? l) (let ((r (pred (car l)))) (and r (loop (cdr l) r))) last)))

(define member
  (let ((member2 member))
    (lambda (x l . eq)
      (if (null? eq)
          (member2 x l)
          (let loop ((l l))
            (cond ((null? l) #f)
                  ((not (pair? l)) (error "member: expected a proper list, got" l))
                  (((car eq) x (car l)) l)
                  (else (loop (cdr l)))))))))

(define assoc
  (let ((assoc2 assoc))
    (lambda (x l . eq)
      (if (null? eq)
          (assoc2 x l)
          (let loop ((l l))
            (cond ((null? l) #f)
                  ((not (pair? l)) (error "assoc: expected a proper list, got" l))
                  (((car eq) x (car (car l))) (car l))
                  (else (loop (cdr l)))))))))

(define (vector-map f v . vs)
  (list->vector (apply map f (vector->list v) (map vector->list vs))))

(define (vector-for-each f v . vs)
  (apply for-each f (vector->list v) (map vector->list vs)))

(define (string-for-each f s) (for-each f (string->list s)))
(define (string-map f s) (list->string (map f (string->list s))))

(define (hashtable-update! table key proc default)
  (hashtable-set! table key (proc (hashtable-ref table key default))))

(define (hashtable-walk table proc)
  (for-each (lambda (entry) (proc (car entry) (cdr entry))) (hashtable->alist table)))

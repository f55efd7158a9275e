;;; Loaded by core.scm to test load.
(define loaded-value 'from-loaded-file)

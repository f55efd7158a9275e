(* Peer program: binary-trees (Benchmarks Game, single-threaded) for OCaml 4.13.
   Usage: binary_trees --depth D
   Prints exactly one JSON line on stdout; the Benchmarks Game text goes to stderr.
   See bench/peers/README.md for the exact workload definition. *)

type tree = Empty | Node of tree * tree

(* Every leaf is allocated, as in the Java versions.  A plain [Node (Empty, Empty)] is a
   structured constant: ocamlopt allocates it once, statically, and every leaf shares it, so
   the program would allocate only the 2^d - 1 inner nodes of each tree, half of what the
   Java programs (and the Benchmarks Game's other languages) allocate.
   [Sys.opaque_identity] hides the constant from the compiler: 3 words per node, all nodes. *)
let rec make d =
  if d = 0 then Node (Sys.opaque_identity Empty, Empty)
  else
    let d = d - 1 in
    Node (make d, make d)

let rec check = function Empty -> 0 | Node (l, r) -> 1 + check l + check r

let usage () =
  prerr_endline "usage: binary_trees --depth D";
  exit 2

let parse_args () =
  let depth = ref 20 in
  let argv = Sys.argv in
  let n = Array.length argv in
  let i = ref 1 in
  let value name =
    if !i + 1 >= n then (Printf.eprintf "missing value for %s\n" name; usage ());
    incr i;
    argv.(!i)
  in
  while !i < n do
    let a = argv.(!i) in
    (match String.index_opt a '=' with
     | Some p when String.length a > 2 && String.sub a 0 2 = "--" ->
         let k = String.sub a 0 p and v = String.sub a (p + 1) (String.length a - p - 1) in
         if k = "--depth" then depth := int_of_string v
         else (Printf.eprintf "unknown flag %s\n" a; usage ())
     | _ ->
         if a = "--depth" then depth := int_of_string (value a)
         else (Printf.eprintf "unknown argument %s\n" a; usage ()));
    incr i
  done;
  !depth

let () =
  let depth = parse_args () in
  let t0 = Unix.gettimeofday () in
  let min_depth = 4 in
  let max_depth = max 6 depth in
  let stretch_depth = max_depth + 1 in
  let total = ref 0 in
  let c = check (make stretch_depth) in
  total := !total + c;
  Printf.eprintf "stretch tree of depth %i\t check: %i\n" stretch_depth c;
  let long_lived_tree = make max_depth in
  let d = ref min_depth in
  while !d <= max_depth do
    let niter = 1 lsl (max_depth - !d + min_depth) in
    let c = ref 0 in
    for _ = 1 to niter do
      c := !c + check (make !d)
    done;
    total := !total + !c;
    Printf.eprintf "%i\t trees of depth %i\t check: %i\n" niter !d !c;
    d := !d + 2
  done;
  let c = check long_lived_tree in
  total := !total + c;
  Printf.eprintf "long lived tree of depth %i\t check: %i\n" max_depth c;
  let t1 = Unix.gettimeofday () in
  let st = Gc.quick_stat () in
  Printf.printf
    "{\"bench\":\"binary-trees\",\"impl\":\"ocaml\",\"depth\":%d,\"seconds\":%.6f,\"peak_heap_words\":%d,\"check\":%d,\"minor_collections\":%d,\"major_collections\":%d}\n"
    depth (t1 -. t0) st.Gc.top_heap_words !total st.Gc.minor_collections st.Gc.major_collections

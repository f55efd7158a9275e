(* Peer program: hashcons for OCaml 4.13.
   Usage: hashcons --n N
   Weak.Make on pairs [int * int] (hash: Hashtbl.hash on the pair; equal: both
   components equal), set created with W.create 1024.  Merge i (0 <= i < N) merges a
   freshly allocated pair:
     i = 2j   : (p.(j), 7)           -- a value never merged before: a miss
     i = 2j+1 : (p.(5 * (j / 5)), 7) -- the value of merge 10*(j/5), which is kept in
                                        the root array: a hit
   where p is the splitmix64(seed 42) Fisher-Yates permutation of [0 .. m-1],
   m = (N+1)/2.  The result of merge i is kept in a root array iff i mod 10 = 0; all
   other results are dropped.  Then ONE Gc.full_major ().  The merges plus the full
   major are timed.  "count" = W.count after the full major.
   Prints exactly one JSON line on stdout.  See bench/peers/README.md. *)

module P = struct
  type t = int * int
  let equal ((a1, b1) : t) ((a2, b2) : t) = a1 = a2 && b1 = b2
  let hash (x : t) = Hashtbl.hash x
end

module W = Weak.Make (P)

let sm_state = ref 0L
let sm_seed s = sm_state := s
let sm_next () =
  let open Int64 in
  sm_state := add !sm_state 0x9E3779B97F4A7C15L;
  let z = !sm_state in
  let z = mul (logxor z (shift_right_logical z 30)) 0xBF58476D1CE4E5B9L in
  let z = mul (logxor z (shift_right_logical z 27)) 0x94D049BB133111EBL in
  logxor z (shift_right_logical z 31)

let permutation n seed =
  sm_seed seed;
  let a = Array.init n (fun i -> i) in
  for i = n - 1 downto 1 do
    let j = Int64.to_int (Int64.unsigned_rem (sm_next ()) (Int64.of_int (i + 1))) in
    let t = a.(i) in
    a.(i) <- a.(j);
    a.(j) <- t
  done;
  a

let usage () =
  prerr_endline "usage: hashcons --n N";
  exit 2

let parse_args () =
  let n = ref 1_000_000 in
  let argv = Sys.argv in
  let len = Array.length argv in
  let i = ref 1 in
  let set k v =
    match k with
    | "--n" -> n := int_of_string v
    | _ -> Printf.eprintf "unknown flag %s\n" k; usage ()
  in
  while !i < len do
    let a = argv.(!i) in
    (match String.index_opt a '=' with
     | Some p when String.length a > 2 && String.sub a 0 2 = "--" ->
         set (String.sub a 0 p) (String.sub a (p + 1) (String.length a - p - 1))
     | _ ->
         if !i + 1 >= len then (Printf.eprintf "missing value for %s\n" a; usage ());
         set a argv.(!i + 1);
         incr i);
    incr i
  done;
  if !n < 0 then usage ();
  !n

let () =
  let n = parse_args () in
  let m = (n + 1) / 2 in
  let p = permutation m 42L in
  let roots = Array.make ((n + 9) / 10) (0, 0) in
  let w = W.create 1024 in
  let hits = ref 0 and misses = ref 0 in
  let t0 = Unix.gettimeofday () in
  for i = 0 to n - 1 do
    let j = i / 2 in
    let a = if i land 1 = 0 then p.(j) else p.(5 * (j / 5)) in
    let x = (a, 7) in
    let r = W.merge w x in
    if r == x then incr misses else incr hits;
    if i mod 10 = 0 then roots.(i / 10) <- r
  done;
  Gc.full_major ();
  let t1 = Unix.gettimeofday () in
  let count = W.count w in
  let st = Gc.quick_stat () in
  Printf.printf
    "{\"bench\":\"hashcons\",\"impl\":\"ocaml\",\"n\":%d,\"seconds\":%.6f,\"hits\":%d,\"misses\":%d,\"count\":%d,\"peak_heap_words\":%d}\n"
    n (t1 -. t0) !hits !misses count st.Gc.top_heap_words;
  ignore (Sys.opaque_identity roots)

(* Peer program: ephemeron-chain for OCaml 4.13.
   Usage: ephemeron_chain --n N --order fwd|rev|random [--drop-root]
   Keys k(0..N) are fresh [ref i] blocks; ephemeron i has key k(i) and data k(i+1).
   The ephemerons are created in index order (fwd), reverse index order (rev) or a
   splitmix64(seed 42) Fisher-Yates permutation (random), and kept in an array indexed
   by i.  Only k(0) stays a root (unless --drop-root).  ONE Gc.full_major () is timed.
   Prints exactly one JSON line on stdout.  See bench/peers/README.md. *)

module E = Ephemeron.K1

(* splitmix64, the same generator the Java side uses (README: "Shared PRNG"). *)
let sm_state = ref 0L
let sm_seed s = sm_state := s
let sm_next () =
  let open Int64 in
  sm_state := add !sm_state 0x9E3779B97F4A7C15L;
  let z = !sm_state in
  let z = mul (logxor z (shift_right_logical z 30)) 0xBF58476D1CE4E5B9L in
  let z = mul (logxor z (shift_right_logical z 27)) 0x94D049BB133111EBL in
  logxor z (shift_right_logical z 31)

(* Fisher-Yates on [0..n-1]: for i = n-1 downto 1, j = next() unsigned-mod (i+1). *)
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
  prerr_endline "usage: ephemeron_chain --n N --order fwd|rev|random [--drop-root]";
  exit 2

let parse_args () =
  let n = ref 100_000 and order = ref "fwd" and drop_root = ref false in
  let argv = Sys.argv in
  let len = Array.length argv in
  let i = ref 1 in
  let set k v =
    match k with
    | "--n" -> n := int_of_string v
    | "--order" ->
        if v <> "fwd" && v <> "rev" && v <> "random" then (
          Printf.eprintf "bad --order %s\n" v;
          usage ());
        order := v
    | _ -> Printf.eprintf "unknown flag %s\n" k; usage ()
  in
  while !i < len do
    let a = argv.(!i) in
    (if a = "--drop-root" then drop_root := true
     else
       match String.index_opt a '=' with
       | Some p when String.length a > 2 && String.sub a 0 2 = "--" ->
           set (String.sub a 0 p) (String.sub a (p + 1) (String.length a - p - 1))
       | _ ->
           if !i + 1 >= len then (Printf.eprintf "missing value for %s\n" a; usage ());
           set a argv.(!i + 1);
           incr i);
    incr i
  done;
  if !n < 1 then usage ();
  (!n, !order, !drop_root)

(* The only root to a key besides the ephemeron array. *)
let root_k0 : int ref option ref = ref None

(* Built in its own (non-inlined) function so that the temporary key array is dead
   (not on any stack frame) once it returns. *)
let[@inline never] build n order =
  let keys = Array.init (n + 1) (fun i -> ref i) in
  let dummy = E.create () in
  let ephes = Array.make n dummy in
  let create i =
    let e = E.create () in
    E.set_key e keys.(i);
    E.set_data e keys.(i + 1);
    ephes.(i) <- e
  in
  (match order with
   | "fwd" -> for i = 0 to n - 1 do create i done
   | "rev" -> for i = n - 1 downto 0 do create i done
   | _ ->
       let p = permutation n 42L in
       for k = 0 to n - 1 do create p.(k) done);
  root_k0 := Some keys.(0);
  ephes

let () =
  let n, order, drop_root = parse_args () in
  let ephes = build n order in
  if drop_root then root_k0 := None;
  let t0 = Unix.gettimeofday () in
  Gc.full_major ();
  let t1 = Unix.gettimeofday () in
  let data_full = ref 0 and cleared = ref 0 and data_cleared = ref 0 in
  Array.iter
    (fun e ->
      if E.check_data e then incr data_full else incr data_cleared;
      if not (E.check_key e) then incr cleared)
    ephes;
  let ok =
    if drop_root then !cleared = n && !data_full = 0 else !data_full = n && !cleared = 0
  in
  if not ok then
    Printf.eprintf "ephemeron_chain: UNEXPECTED result data_full=%d cleared=%d (n=%d drop_root=%b)\n"
      !data_full !cleared n drop_root;
  let st = Gc.quick_stat () in
  Printf.printf
    "{\"bench\":\"ephemeron-chain\",\"impl\":\"ocaml\",\"n\":%d,\"order\":\"%s\",\"drop_root\":%b,\"seconds\":%.6f,\"data_full\":%d,\"cleared\":%d,\"peak_heap_words\":%d}\n"
    n order drop_root (t1 -. t0) !data_full !cleared st.Gc.top_heap_words;
  (* keep the k0 root and the array alive until here *)
  ignore (Sys.opaque_identity !root_k0);
  ignore (Sys.opaque_identity ephes)

(* Peer program: finalise for OCaml 4.13.
   Usage: finalise --n N
   Registers N fresh [ref i] blocks with Gc.finalise (the function receives the value
   and increments [first_called]), then N other fresh [ref i] blocks with
   Gc.finalise_last (increments [last_called]); all values are dropped at once.  Then
   Gc.full_major () is called until both counters reach N (at most 10 times).
   "seconds" covers registration + collections + running every finaliser.
   Prints exactly one JSON line on stdout.  See bench/peers/README.md. *)

let usage () =
  prerr_endline "usage: finalise --n N";
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

let first_called = ref 0
let last_called = ref 0

let on_first (_ : int ref) = incr first_called
let on_last () = incr last_called

let[@inline never] register n =
  for i = 0 to n - 1 do
    Gc.finalise on_first (ref i)
  done;
  for i = 0 to n - 1 do
    Gc.finalise_last on_last (ref i)
  done

let () =
  let n = parse_args () in
  let t0 = Unix.gettimeofday () in
  register n;
  let rounds = ref 0 in
  while (!first_called < n || !last_called < n) && !rounds < 10 do
    Gc.full_major ();
    incr rounds
  done;
  let t1 = Unix.gettimeofday () in
  if !first_called <> n || !last_called <> n then
    Printf.eprintf "finalise: UNEXPECTED first_called=%d last_called=%d n=%d after %d full_major\n"
      !first_called !last_called n !rounds;
  let st = Gc.quick_stat () in
  Printf.printf
    "{\"bench\":\"finalise\",\"impl\":\"ocaml\",\"n\":%d,\"seconds\":%.6f,\"first_called\":%d,\"last_called\":%d,\"full_majors\":%d,\"peak_heap_words\":%d}\n"
    n (t1 -. t0) !first_called !last_called !rounds st.Gc.top_heap_words

(* Peer program: fragmentation for OCaml 4.13.
   Usage: fragmentation --n N [--compaction explicit|auto|off]
   Allocates N two-field blocks [| i; i |] held in an array of N slots; drops 63 of every
   64 (slot i keeps its block iff i mod 64 = 0; the others get the atom [||]); collects; then
   allocates N/4 blocks of 13 fields (every field j) into the first N/4 dropped slots
   (block j goes to slot 64 (j / 63) + 1 + j mod 63) and keeps them; collects again.
   "Collects" is, with --compaction explicit (the default), Gc.compact (); with auto,
   Gc.full_major () at the default max_overhead (500: compaction only if the heap's free
   words exceed 500% of its live words when the cycle ends); with off, Gc.full_major () after
   Gc.set max_overhead 1000000 (never compacts).
   Reports Gc.stat ()'s live_words and heap_words after each phase: "allocated" (the N pairs
   held), "dropped" (after the first collection), "refilled" (the 13-field blocks added)
   and "final" (after the second collection); "compact_seconds" the wall time of each of the
   two collections (Unix.gettimeofday) and "seconds" their sum; "total_seconds" the whole
   program after argument parsing. Afterwards (not timed) "pairs" and "blocks" count the
   arrays of length 2 and 13 still held and "check" adds their first fields.
   Prints exactly one JSON line on stdout.  See bench/peers/README.md. *)

let usage () =
  prerr_endline "usage: fragmentation --n N [--compaction explicit|auto|off]   (N >= 64)";
  exit 2

let parse_args () =
  let n = ref 10_000_000 and mode = ref "explicit" in
  let argv = Sys.argv in
  let len = Array.length argv in
  let i = ref 1 in
  let set k v =
    match k with
    | "--n" -> (match int_of_string_opt v with Some x -> n := x | None -> usage ())
    | "--compaction" -> mode := v
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
  if !n < 64 || not (List.mem !mode [ "explicit"; "auto"; "off" ]) then usage ();
  (!n, !mode)

let () =
  let n, mode = parse_args () in
  if mode = "off" then Gc.set { (Gc.get ()) with Gc.max_overhead = 1_000_000 };
  let collect () =
    let t0 = Unix.gettimeofday () in
    if mode = "explicit" then Gc.compact () else Gc.full_major ();
    Unix.gettimeofday () -. t0
  in
  let live = ref [] and heap = ref [] in
  let phase () =
    let st = Gc.stat () in
    live := st.Gc.live_words :: !live;
    heap := st.Gc.heap_words :: !heap
  in
  let start = Unix.gettimeofday () in
  let a : int array array = Array.make n [||] in
  for i = 0 to n - 1 do
    a.(i) <- Sys.opaque_identity [| i; i |]
  done;
  phase ();
  for i = 0 to n - 1 do
    if i land 63 <> 0 then a.(i) <- [||]
  done;
  let c1 = collect () in
  phase ();
  for j = 0 to (n / 4) - 1 do
    a.(64 * (j / 63) + 1 + (j mod 63)) <- Sys.opaque_identity [| j; j; j; j; j; j; j; j; j; j; j; j; j |]
  done;
  phase ();
  let c2 = collect () in
  phase ();
  let total = Unix.gettimeofday () -. start in
  let pairs = ref 0 and blocks = ref 0 and check = ref 0 in
  Array.iter
    (fun b ->
      match Array.length b with
      | 2 -> incr pairs; check := !check + b.(0)
      | 13 -> incr blocks; check := !check + b.(0)
      | _ -> ())
    a;
  let st = Gc.quick_stat () in
  let ints l = String.concat "," (List.rev_map string_of_int l) in
  let live_final = List.hd !live and heap_final = List.hd !heap in
  Printf.printf
    "{\"bench\":\"fragmentation\",\"impl\":\"ocaml\",\"n\":%d,\"compaction\":\"%s\",\"seconds\":%.6f,\"compact_seconds\":[%.6f,%.6f],\"phases\":[\"allocated\",\"dropped\",\"refilled\",\"final\"],\"live_words\":[%s],\"heap_words\":[%s],\"heap_live_ratio\":%.6f,\"compactions\":%d,\"total_seconds\":%.6f,\"pairs\":%d,\"blocks\":%d,\"check\":%d,\"peak_heap_words\":%d}\n"
    n mode (c1 +. c2) c1 c2 (ints !live) (ints !heap)
    (float_of_int heap_final /. float_of_int live_final)
    st.Gc.compactions total !pairs !blocks !check st.Gc.top_heap_words

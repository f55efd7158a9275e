(* Peer program: pauses for OCaml 4.13.
   Usage: pauses --live-cells N --allocs M
   Builds a list of N two-field cells (Cons (i, rest)) kept live in a global root, then makes
   M two-field allocations (a fresh pair (k, k) for k = 0 .. M-1), storing every 16th one
   (k mod 16 = 0) into slot (k / 16) mod 1_000_000 of an array of 10^6 slots (Array.make,
   so in the major heap; every store is a caml_modify). Every batch of 10,000 allocations is
   timed with Unix.gettimeofday (when M is not a multiple of 10,000, the last, shorter batch
   is timed and ranked as the others).
   "seconds" is the wall time of the whole allocation phase; p50_ms, p99_ms and max_ms are
   nearest-rank percentiles of the batch times (sorted t, p50 = t[ceil(50 n / 100) - 1],
   p99 = t[ceil(99 n / 100) - 1], max = t[n - 1], in integer arithmetic), in milliseconds. major_collections and
   minor_collections count the cycles finished during the allocation phase. Afterwards (not
   timed) list_length walks the list and ring_sum adds the first field of every pair in the
   ring (the slots never stored hold the constant (0, 0)).
   Prints exactly one JSON line on stdout.  See bench/peers/README.md. *)

let batch = 10_000
let ring_size = 1_000_000

let usage () =
  prerr_endline "usage: pauses --live-cells N --allocs M   (M positive)";
  exit 2

let parse_args () =
  let live = ref 1_000_000 and allocs = ref 10_000_000 in
  let argv = Sys.argv in
  let len = Array.length argv in
  let i = ref 1 in
  let int_of v = match int_of_string_opt v with Some n -> n | None -> usage () in
  let set k v =
    match k with
    | "--live-cells" -> live := int_of v
    | "--allocs" -> allocs := int_of v
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
  if !live < 0 || !allocs <= 0 then usage ();
  (!live, !allocs)

type cell = Nil | Cons of int * cell

(* The list, in a global root so nothing can decide it is dead during the allocation phase. *)
let live_list = ref Nil

let[@inline never] build n =
  let l = ref Nil in
  for i = 0 to n - 1 do
    l := Cons (i, !l)
  done;
  live_list := !l

let[@inline never] allocate ring times nbatches allocs =
  let k = ref 0 in
  for b = 0 to nbatches - 1 do
    let t0 = Unix.gettimeofday () in
    for _ = 1 to min batch (allocs - !k) do
      let i = !k in
      let p = Sys.opaque_identity (i, i) in
      if i land 15 = 0 then ring.((i lsr 4) mod ring_size) <- p;
      k := i + 1
    done;
    times.(b) <- Unix.gettimeofday () -. t0
  done

let rec length acc = function Nil -> acc | Cons (_, rest) -> length (acc + 1) rest

let () =
  let live, allocs = parse_args () in
  let nbatches = (allocs - 1) / batch + 1 in
  let b0 = Unix.gettimeofday () in
  build live;
  let ring = Array.make ring_size (0, 0) in
  let build_seconds = Unix.gettimeofday () -. b0 in
  let times = Array.make nbatches 0.0 in
  let before = Gc.quick_stat () in
  let t0 = Unix.gettimeofday () in
  allocate ring times nbatches allocs;
  let seconds = Unix.gettimeofday () -. t0 in
  let after = Gc.quick_stat () in
  let list_length = length 0 !live_list in
  let ring_sum = Array.fold_left (fun s (a, _) -> s + a) 0 ring in
  Array.sort compare times;
  (* nearest rank, in integers: the smallest t such that at least pct % of the batches took <= t *)
  let rank pct = times.(max 0 ((nbatches * pct + 99) / 100 - 1)) in
  let ms t = t *. 1000.0 in
  if list_length <> live then
    Printf.eprintf "pauses: UNEXPECTED list_length=%d, expected %d\n" list_length live;
  Printf.printf
    "{\"bench\":\"pauses\",\"impl\":\"ocaml\",\"live_cells\":%d,\"allocs\":%d,\"seconds\":%.6f,\"p50_ms\":%.6f,\"p99_ms\":%.6f,\"max_ms\":%.6f,\"major_collections\":%d,\"minor_collections\":%d,\"batches\":%d,\"build_seconds\":%.6f,\"list_length\":%d,\"ring_sum\":%d,\"heap_words\":%d,\"peak_heap_words\":%d}\n"
    live allocs seconds (ms (rank 50)) (ms (rank 99)) (ms times.(nbatches - 1))
    (after.Gc.major_collections - before.Gc.major_collections)
    (after.Gc.minor_collections - before.Gc.minor_collections)
    nbatches build_seconds list_length ring_sum after.Gc.heap_words after.Gc.top_heap_words

(* Peer program: memo-table for OCaml 4.13.
   Usage: memo_table --n N [--keys dead|live]
   Ephemeron.K1.Make on [type t = {id : int}] (equal: same id; hash: Hashtbl.hash id),
   table created with H.create 16.  N calls H.replace h k (k, i) where k = {id = i} is
   fresh; with --keys live every key is also stored in a root array.  The N replaces
   plus ONE Gc.full_major () are timed.  "alive" = (H.stats_alive h).num_bindings,
   "length" = H.length h (both after the full major, no clean).
   Prints exactly one JSON line on stdout.  See bench/peers/README.md. *)

module Key = struct
  type t = { id : int }
  let equal a b = a.id = b.id
  let hash a = Hashtbl.hash a.id
end

module H = Ephemeron.K1.Make (Key)

let usage () =
  prerr_endline "usage: memo_table --n N [--keys dead|live]";
  exit 2

let parse_args () =
  let n = ref 1_000_000 and keys = ref "dead" in
  let argv = Sys.argv in
  let len = Array.length argv in
  let i = ref 1 in
  let set k v =
    match k with
    | "--n" -> n := int_of_string v
    | "--keys" ->
        if v <> "dead" && v <> "live" then (Printf.eprintf "bad --keys %s\n" v; usage ());
        keys := v
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
  (!n, !keys)

let () =
  let n, keys = parse_args () in
  let live = keys = "live" in
  let root = if live then Array.make n { Key.id = -1 } else [||] in
  let h : (Key.t * int) H.t = H.create 16 in
  let t0 = Unix.gettimeofday () in
  for i = 0 to n - 1 do
    let k = { Key.id = i } in
    if live then root.(i) <- k;
    H.replace h k (k, i)
  done;
  Gc.full_major ();
  let t1 = Unix.gettimeofday () in
  let alive = (H.stats_alive h).Hashtbl.num_bindings in
  let length = H.length h in
  let expected = if live then n else 0 in
  if alive <> expected then
    Printf.eprintf "memo_table: note alive=%d, expected %d\n" alive expected;
  let st = Gc.quick_stat () in
  Printf.printf
    "{\"bench\":\"memo-table\",\"impl\":\"ocaml\",\"n\":%d,\"keys\":\"%s\",\"seconds\":%.6f,\"alive\":%d,\"length\":%d,\"peak_heap_words\":%d}\n"
    n keys (t1 -. t0) alive length st.Gc.top_heap_words;
  ignore (Sys.opaque_identity root);
  ignore (Sys.opaque_identity h)

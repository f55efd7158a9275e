(* Reference statistics of OCaml's weak tables, for ephemera's tests.
   Build and run: ocamlopt table_stats.ml -o table_stats && ./table_stats > ocaml-table-stats.tsv
   Each line: scenario<TAB>num_bindings<TAB>num_buckets<TAB>max_bucket_length<TAB>histogram (space-separated)
   or, for Weak.Make: scenario<TAB>len count totlen min median max.
   Keys are immediates (ints), which the GC never erases, so the numbers are deterministic. *)
module I = struct type t = int let equal (a:int) b = a = b let hash (x:int) = Hashtbl.hash x end
module K1 = Ephemeron.K1.Make (I)
module K2 = Ephemeron.K2.Make (I) (I)
module Kn = Ephemeron.Kn.Make (I)
module W = Weak.Make (I)

let pr name (s : Hashtbl.statistics) =
  Printf.printf "%s\t%d\t%d\t%d\t%s\n" name s.Hashtbl.num_bindings s.Hashtbl.num_buckets
    s.Hashtbl.max_bucket_length
    (String.concat " " (Array.to_list (Array.map string_of_int s.Hashtbl.bucket_histogram)))

let () =
  let h = K1.create 16 in
  for i = 0 to 999 do K1.add h i (i * 2) done;
  pr "k1-add-1000" (K1.stats h);
  for i = 0 to 499 do K1.replace h i i done;
  pr "k1-add-1000-replace-500" (K1.stats h);
  for i = 0 to 999 do if i mod 2 = 0 then K1.remove h i done;
  pr "k1-remove-evens" (K1.stats h);
  for i = 0 to 99 do K1.add h 7 i done;
  pr "k1-add-7-x100" (K1.stats h);
  Printf.printf "k1-find-all-7\t%s\n" (String.concat " " (List.map string_of_int (K1.find_all h 7)));
  K1.reset h;
  pr "k1-reset" (K1.stats h);
  let h = K1.create 1000 in
  for i = 0 to 4999 do K1.replace h (i * 37) i done;
  pr "k1-create-1000-replace-5000" (K1.stats h);
  let h = K1.create (-5) in
  pr "k1-create-negative" (K1.stats h);
  let h2 = K2.create 16 in
  for i = 0 to 499 do K2.add h2 (i, i * 7) i done;
  pr "k2-add-500" (K2.stats h2);
  let hn = Kn.create 16 in
  for i = 0 to 299 do Kn.add hn [| i; i + 1; i + 2 |] i done;
  for i = 0 to 99 do Kn.replace hn [| i |] i done;
  pr "kn-add-300-replace-100" (Kn.stats hn);
  let w = W.create 16 in
  for i = 0 to 999 do W.add w i done;
  let (a, b, c, d, e, f) = W.stats w in
  Printf.printf "weak-add-1000\t%d %d %d %d %d %d\n" a b c d e f;
  for i = 0 to 999 do if i mod 3 = 0 then W.remove w i done;
  for i = 1000 to 2999 do ignore (W.merge w i) done;
  let (a, b, c, d, e, f) = W.stats w in
  Printf.printf "weak-remove-thirds-merge-2000\t%d %d %d %d %d %d\n" a b c d e f;
  let w = W.create 1 in
  for i = 0 to 99 do W.add w (i * 1000) done;
  let (a, b, c, d, e, f) = W.stats w in
  Printf.printf "weak-create-1-add-100\t%d %d %d %d %d %d\n" a b c d e f

(* Generates core/src/test/resources/ocaml-hash-vectors.tsv: test vectors for OCaml's
   structural hash (runtime/hash.c caml_hash) as OCaml 4.13 computes it.

     bench/peers/run-peer ocaml/hash_vectors > core/src/test/resources/ocaml-hash-vectors.tsv

   Each data row is
     function <TAB> seed <TAB> meaningful <TAB> total <TAB> input <TAB> hash
   function: hash               Hashtbl.hash v                  (= seeded_hash_param 10 100 0 v)
             seeded_hash        Hashtbl.seeded_hash seed v      (= seeded_hash_param 10 100 seed v)
             hash_param         Hashtbl.hash_param m t v        (= seeded_hash_param m t 0 v)
             seeded_hash_param  Hashtbl.seeded_hash_param m t seed v
   Unused columns hold "-".  The input column uses this notation, and every value
   hashed is built by parsing exactly that text (see [parse] below):
     i:<decimal>               an immediate int
     s:<hex bytes>             a string (s: is the empty string)
     d:<16 hex digits>         a boxed float (Double_tag) with these IEEE-754 bits
     b<tag>(<field> ...)       a block with that tag and those fields (Obj.new_block);
                               b<tag>() is the zero-size atom of that tag
     a(<16 hex> ...)           a float array (Double_array_tag); a() is the size-0 atom
   Lines starting with # are comments.  Prints the TSV on stdout. *)

(* ---------- notation -> value ---------- *)

let hex_val c =
  match c with
  | '0' .. '9' -> Char.code c - 48
  | 'a' .. 'f' -> Char.code c - 87
  | 'A' .. 'F' -> Char.code c - 55
  | _ -> failwith (Printf.sprintf "bad hex digit %C" c)

let unhex h =
  let n = String.length h in
  if n land 1 <> 0 then failwith "odd hex string";
  Bytes.init (n / 2) (fun k -> Char.chr ((hex_val h.[2 * k] lsl 4) lor hex_val h.[(2 * k) + 1]))

let bits_of_hex h =
  if String.length h <> 16 then failwith ("expected 16 hex digits: " ^ h);
  Int64.of_string ("0x" ^ h)

let parse (str : string) : Obj.t =
  let len = String.length str in
  let pos = ref 0 in
  let fail msg = failwith (Printf.sprintf "parse error at %d in %S: %s" !pos str msg) in
  let peek () = if !pos < len then str.[!pos] else '\000' in
  let expect c = if peek () <> c then fail (Printf.sprintf "expected %C" c) else incr pos in
  let read_atom () =
    let st = !pos in
    while !pos < len && (match str.[!pos] with ' ' | '(' | ')' -> false | _ -> true) do
      incr pos
    done;
    String.sub str st (!pos - st)
  in
  (* items separated by single spaces, terminated by ')' (consumed) *)
  let rec items f =
    if peek () = ')' then (incr pos; [])
    else
      let x = f () in
      match peek () with
      | ' ' -> incr pos; x :: items f
      | ')' -> incr pos; [ x ]
      | _ -> fail "expected ' ' or ')'"
  in
  let rec value () : Obj.t =
    match peek () with
    | 'i' ->
        expect 'i'; expect ':';
        Obj.repr (int_of_string (read_atom ()))
    | 's' ->
        expect 's'; expect ':';
        Obj.repr (Bytes.to_string (unhex (read_atom ())))
    | 'd' ->
        expect 'd'; expect ':';
        let bits = bits_of_hex (read_atom ()) in
        let o = Obj.repr (Int64.float_of_bits bits) in
        assert (Obj.tag o = Obj.double_tag);
        assert (Int64.bits_of_float (Obj.obj o : float) = bits);
        o
    | 'a' ->
        expect 'a'; expect '(';
        let bits = items (fun () -> bits_of_hex (read_atom ())) in
        let o = Obj.new_block Obj.double_array_tag (List.length bits) in
        List.iteri (fun k b -> Obj.set_double_field o k (Int64.float_of_bits b)) bits;
        List.iteri (fun k b -> assert (Int64.bits_of_float (Obj.double_field o k) = b)) bits;
        o
    | 'b' ->
        expect 'b';
        let st = !pos in
        while !pos < len && str.[!pos] >= '0' && str.[!pos] <= '9' do incr pos done;
        let tag = int_of_string (String.sub str st (!pos - st)) in
        if tag < 0 || tag >= Obj.string_tag || tag = Obj.infix_tag then fail "unsupported tag";
        expect '(';
        let fields = items value in
        if tag = Obj.abstract_tag && List.exists (fun f -> not (Obj.is_int f)) fields then
          fail "abstract blocks may only hold immediates";
        if tag = Obj.object_tag
           && (List.length fields < 2 || not (Obj.is_int (List.nth fields 1))) then
          fail "object blocks need an immediate field 1 (the oid)";
        let o = Obj.new_block tag (List.length fields) in
        List.iteri (fun k f -> Obj.set_field o k f) fields;
        o
    | _ -> fail "expected i: s: d: a( or b<tag>("
  in
  let v = value () in
  if !pos <> len then fail "trailing characters";
  v

(* ---------- value -> notation (self-check that the parse built what it says) ---------- *)

let hex_of_string s =
  let b = Buffer.create (2 * String.length s) in
  String.iter (fun c -> Buffer.add_string b (Printf.sprintf "%02x" (Char.code c))) s;
  Buffer.contents b

let rec unparse (o : Obj.t) : string =
  if Obj.is_int o then "i:" ^ string_of_int (Obj.obj o : int)
  else
    let t = Obj.tag o in
    if t = Obj.string_tag then "s:" ^ hex_of_string (Obj.obj o : string)
    else if t = Obj.double_tag then Printf.sprintf "d:%016Lx" (Int64.bits_of_float (Obj.obj o : float))
    else if t = Obj.double_array_tag then
      "a("
      ^ String.concat " "
          (List.init (Obj.size o) (fun k -> Printf.sprintf "%016Lx" (Int64.bits_of_float (Obj.double_field o k))))
      ^ ")"
    else
      Printf.sprintf "b%d(%s)" t
        (String.concat " " (List.init (Obj.size o) (fun k -> unparse (Obj.field o k))))

(* ---------- builders for the notation ---------- *)

let i n = "i:" ^ string_of_int n
let s str = "s:" ^ hex_of_string str
let db bits = Printf.sprintf "d:%016Lx" bits
let d f = db (Int64.bits_of_float f)
let b tag fields = Printf.sprintf "b%d(%s)" tag (String.concat " " fields)
let a bits = "a(" ^ String.concat " " (List.map (Printf.sprintf "%016Lx") bits) ^ ")"
let af fs = a (List.map Int64.bits_of_float fs)
let tup fields = b 0 fields
let some x = b 0 [ x ]
let lst l = List.fold_right (fun x acc -> b 0 [ x; acc ]) l (i 0)
let range lo hi = List.init (hi - lo + 1) (fun k -> lo + k)
let rec nest_right depth = if depth = 0 then i 0 else tup [ i depth; nest_right (depth - 1) ]
let rec nest_left depth = if depth = 0 then i 0 else tup [ nest_left (depth - 1); i depth ]
let rec nest_only depth leaf = if depth = 0 then leaf else b 0 [ nest_only (depth - 1) leaf ]
let rec tree depth = if depth = 0 then i 0 else tup [ tree (depth - 1); tree (depth - 1) ]
let rec tree_num depth k = if depth = 0 then i k else tup [ tree_num (depth - 1) (2 * k); tree_num (depth - 1) ((2 * k) + 1) ]
let rec forward_chain k leaf = if k = 0 then leaf else b Obj.forward_tag [ forward_chain (k - 1) leaf ]

let pattern = "The quick brown fox jumps over the lazy dog 0123456789!"
let str_of_len n = String.init n (fun k -> pattern.[k mod String.length pattern])

(* deterministic pseudo-random bytes (splitmix64, seed given) *)
let random_bytes n seed =
  let st = ref seed in
  let next () =
    let open Int64 in
    st := add !st 0x9E3779B97F4A7C15L;
    let z = !st in
    let z = mul (logxor z (shift_right_logical z 30)) 0xBF58476D1CE4E5B9L in
    let z = mul (logxor z (shift_right_logical z 27)) 0x94D049BB133111EBL in
    logxor z (shift_right_logical z 31)
  in
  String.init n (fun _ -> Char.chr (Int64.to_int (Int64.logand (next ()) 0xFFL)))

(* ---------- the inputs ---------- *)

let ints =
  [ 0; 1; -1; 2; 3; 7; 42; -42; 100; 255; 256; 1000; 65535; 65536;
    (1 lsl 30) - 1; 1 lsl 30; (1 lsl 31) - 1; 1 lsl 31; -(1 lsl 31); -(1 lsl 31) - 1;
    (1 lsl 32) - 1; 1 lsl 32; (1 lsl 32) + 1; 0x123456789; (1 lsl 40) + 12345; -(1 lsl 40);
    1 lsl 61; -(1 lsl 61); max_int; min_int; min_int + 1; max_int - 1; 1000000007; -1000000007;
    0x2AAAAAAAAAAAAAAA; 0x1555555555555555 ]

let strings =
  List.map str_of_len (range 0 40)
  @ [ "\x00"; "\x00\x00"; "\x00\x00\x00"; "\x00\x00\x00\x00"; "\xff"; "\xff\xff\xff\xff\xff";
      "\x80\x81\x82\x83"; "h\xc3\xa9llo w\xc3\xb6rld"; "abc\x00"; "\x00abc";
      "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"; String.init 256 Char.chr;
      String.make 1000 'a'; String.make 1001 'a'; str_of_len 1003; str_of_len 1024;
      String.init 4096 (fun k -> Char.chr (k land 255)); random_bytes 10007 7L;
      random_bytes 20011 42L ]

let double_bits =
  [ 0x0000000000000000L; 0x8000000000000000L; 0x3ff0000000000000L; 0xbff0000000000000L;
    0x3ff8000000000000L; 0xbff8000000000000L; 0x400921fb54442d18L; 0x3fb999999999999aL;
    0xc058c00000000000L; 0x4341c37937e08000L; 0x41dfffffffc00000L; 0x7e37e43c8800759cL;
    (* nans: quiet, negative quiet, signalling, other payloads *)
    0x7ff8000000000000L; 0xfff8000000000000L; 0x7ff0000000000001L; 0x7ff4000000000000L;
    0x7fffffffffffffffL; 0xffffffffffffffffL; 0x7ff8000000000001L; 0xfff0000000000001L;
    0x7ff00000ffffffffL; 0x7ff0000100000000L;
    (* infinities *)
    0x7ff0000000000000L; 0xfff0000000000000L;
    (* denormals, extremes *)
    0x0000000000000001L; 0x8000000000000001L; 0x000fffffffffffffL; 0x800fffffffffffffL;
    0x0008000000000000L; 0x0010000000000000L; 0x7fefffffffffffffL; 0xffefffffffffffffL;
    0x0000000100000000L; 0x0000000080000000L ]

let blocks =
  [ (* atoms and small blocks *)
    b 0 []; b 1 []; b 5 []; b 245 []; a [];
    tup [ i 1; s "ab" ]; tup [ i 1; i 2 ]; tup [ i 2; i 1 ]; tup [ i 1; i 2; i 3 ];
    tup [ i 0; i 7 ]; tup [ i 1; i 7 ]; tup [ i 12345; i 7 ]; tup [ i 499999; i 7 ];
    tup [ s ""; s "" ]; tup [ d 1.5; d (-0.0) ]; tup [ i 0 ];
    some (i 42); some (i 0); some (s "hello"); some (some (i 1)); some (d 2.5);
    b 1 [ i 5 ]; b 2 [ i 5; i 6 ]; b 3 [ s "abc" ]; b 7 [ i 1; i 2; i 3; i 4 ];
    b 200 [ i 1 ]; b 245 [ i 1; i 2 ]; b Obj.lazy_tag [ i 5 ]; b Obj.lazy_tag [ tup [ i 1; i 2 ] ];
    (* records with boxed-float fields (tag 0, so NOT a flat float record) *)
    tup [ d 1.0; d 2.0; d 3.0 ]; tup [ i 1; d 0.5; s "x"; some (d nan) ];
    (* lists *)
    lst [ i 1; i 2; i 3 ]; lst (List.map i (range 1 5)); lst (List.map i (range 1 10));
    lst (List.map i (range 1 11)); lst (List.map i (range 1 30)); lst (List.map i (range 1 100));
    lst (List.map i (range 1 300)); lst (List.map (fun k -> s (str_of_len k)) (range 0 12));
    lst (List.map (fun k -> d (float_of_int k /. 3.0)) (range 1 15));
    lst [ lst [ i 1; i 2 ]; lst [ i 3 ]; lst [] ];
    lst (List.map (fun k -> lst (List.map i (range 1 k))) (range 1 8));
    (* nested tuples *)
    nest_right 5; nest_right 20; nest_right 60; nest_left 5; nest_left 20; nest_left 60;
    nest_only 20 (i 5); nest_only 99 (i 5); nest_only 100 (i 5); nest_only 255 (i 5);
    nest_only 256 (i 5); nest_only 300 (i 5); nest_only 20 (s "deep");
    tree 3; tree 6; tree 8; tree_num 4 1; tree_num 7 1;
    (* wide blocks *)
    tup (List.map (fun k -> s (str_of_len (k + 1))) (range 0 11));
    tup (List.map i (range 0 8)); tup (List.map i (range 0 9)); tup (List.map i (range 0 10));
    tup (List.map i (range 0 98)); tup (List.map i (range 0 99)); tup (List.map i (range 0 100));
    tup (List.map i (range 0 254)); tup (List.map i (range 0 255)); tup (List.map i (range 0 299));
    tup (List.map (fun k -> tup [ i k; i (-k) ]) (range 0 40));
    tup [ tup (List.map i (range 0 200)); i 1; i 2 ];
    (* mixed *)
    tup [ i 1; s "two"; d 3.0; af [ 4.0; 5.0 ]; b 1 [ i 6 ]; lst [ i 7; i 8 ]; i 0 ];
    lst [ tup [ s "key"; some (i 1) ]; tup [ s "other"; i 0 ]; tup [ s ""; b 2 [ d infinity ] ] ];
    tup [ tup [ tup [ tup [ s "a" ] ] ]; tup [ af [ nan; -0.0 ] ]; b 3 [] ];
    (* float arrays *)
    af [ 1.0 ]; af [ 0.0 ]; af [ -0.0 ]; af [ nan ]; af [ 1.0; 2.0 ]; af [ 2.0; 1.0 ];
    a [ 0x7ff8000000000000L; 0xfff0000000000001L; 0x8000000000000000L; 0x0000000000000001L ];
    af (List.map float_of_int (range 1 5)); af (List.map float_of_int (range 1 9));
    af (List.map float_of_int (range 1 10)); af (List.map float_of_int (range 1 11));
    af (List.map float_of_int (range 1 20)); af (List.map (fun k -> float_of_int k *. 0.25) (range 1 300));
    tup [ af [ 1.0; 2.0; 3.0 ]; af [ 4.0; 5.0; 6.0; 7.0; 8.0; 9.0; 10.0; 11.0 ]; i 99 ];
    (* Object_tag: only field 1 (the oid, untagged) is mixed *)
    b Obj.object_tag [ i 0; i 1 ]; b Obj.object_tag [ i 0; i 77 ]; b Obj.object_tag [ i 9; i (-5) ];
    b Obj.object_tag [ s "class"; i 123456789012; i 3 ];
    tup [ b Obj.object_tag [ i 0; i 1 ]; b Obj.object_tag [ i 0; i 2 ] ];
    (* Abstract_tag: ignored, not counted *)
    b Obj.abstract_tag [ i 1; i 2 ]; b Obj.abstract_tag []; tup [ i 1; b Obj.abstract_tag [ i 5 ]; i 2 ];
    (* Forward_tag: followed (up to 1000 links), never mixed, never counted *)
    b Obj.forward_tag [ d 1.5 ]; b Obj.forward_tag [ b Obj.lazy_tag [ i 3 ] ];
    forward_chain 2 (d 2.5); forward_chain 3 (d 0.0);
    tup [ i 1; forward_chain 2 (d 1.5); i 2 ];
    forward_chain 999 (d 1.5); forward_chain 1000 (d 1.5); forward_chain 1001 (d 1.5);
    tup [ i 1; forward_chain 1001 (d 1.5); i 2 ]; tup [ i 1; forward_chain 1000 (d 1.5); i 2 ] ]

let inputs =
  List.map i ints @ List.map s strings @ List.map db double_bits @ blocks

(* a representative subset for the seeded / param variants *)
let subset =
  [ i 0; i 1; i (-1); i 42; i max_int; i min_int; i (1 lsl 31);
    s ""; s "a"; s "abc"; s "abcd"; s (str_of_len 17); s "h\xc3\xa9llo w\xc3\xb6rld"; s (String.make 1001 'a');
    d 1.5; d 0.0; d (-0.0); db 0x7ff8000000000000L; db 0x7ff0000000000001L; d infinity;
    b 0 []; tup [ i 1; s "ab" ]; some (i 42); b 3 [ s "abc" ];
    lst (List.map i (range 1 30)); nest_right 20; nest_only 300 (i 5); tree 8;
    tup (List.map (fun k -> s (str_of_len (k + 1))) (range 0 11)); tup (List.map i (range 0 299));
    af (List.map float_of_int (range 1 20)); b Obj.object_tag [ i 0; i 77 ];
    tup [ i 1; forward_chain 2 (d 1.5); i 2 ];
    tup [ i 1; s "two"; d 3.0; af [ 4.0; 5.0 ]; b 1 [ i 6 ]; lst [ i 7; i 8 ]; i 0 ] ]

let seeds = [ 0; 1; 42; 0x3FFFFFFF; 0x7FFFFFFF; -1; (1 lsl 32) + 7 ]

let params =
  [ (1, 1); (5, 10); (10, 100); (256, 256); (0, 0); (0, 10); (10, 0); (1, 256); (20, 5);
    (3, 300); (10, 1000); (1000, 1000); (100, 10) ]

let seeded_params = [ (42, 1, 1); (42, 5, 10); (0x3FFFFFFF, 10, 100); (1, 256, 256); (7, 3, 300); (-1, 20, 20) ]

type row = { fn : string; seed : int option; meaningful : int option; total : int option; input : string }

let rows =
  List.map (fun x -> { fn = "hash"; seed = None; meaningful = None; total = None; input = x }) inputs
  @ List.concat_map
      (fun x -> List.map (fun sd -> { fn = "seeded_hash"; seed = Some sd; meaningful = None; total = None; input = x }) seeds)
      subset
  @ List.concat_map
      (fun x ->
        List.map (fun (m, t) -> { fn = "hash_param"; seed = None; meaningful = Some m; total = Some t; input = x }) params)
      subset
  @ List.concat_map
      (fun x ->
        List.map
          (fun (sd, m, t) -> { fn = "seeded_hash_param"; seed = Some sd; meaningful = Some m; total = Some t; input = x })
          seeded_params)
      subset

let compute r (v : Obj.t) =
  match (r.fn, r.seed, r.meaningful, r.total) with
  | "hash", None, None, None -> Hashtbl.hash v
  | "seeded_hash", Some sd, None, None -> Hashtbl.seeded_hash sd v
  | "hash_param", None, Some m, Some t -> Hashtbl.hash_param m t v
  | "seeded_hash_param", Some sd, Some m, Some t -> Hashtbl.seeded_hash_param m t sd v
  | _ -> assert false

let () =
  let rows = Array.of_list rows in
  let values = Array.map (fun r -> parse r.input) rows in
  let hashes = Array.mapi (fun k r -> compute r values.(k)) rows in
  (* self-checks: the value is exactly what the notation says, and hashing is stable
     across a full major collection (no Forward short-circuiting can change it) *)
  Array.iteri
    (fun k r ->
      let u = unparse values.(k) in
      if u <> r.input then failwith (Printf.sprintf "round trip mismatch: %s vs %s" r.input u))
    rows;
  Gc.full_major ();
  Array.iteri
    (fun k r ->
      if compute r values.(k) <> hashes.(k) then failwith ("unstable hash: " ^ r.input);
      if compute r (parse r.input) <> hashes.(k) then failwith ("not reproducible: " ^ r.input))
    rows;
  let opt = function None -> "-" | Some n -> string_of_int n in
  Printf.printf
    "# OCaml %s structural hash vectors (Hashtbl.hash = seeded_hash_param 10 100 0); generated by: bench/peers/run-peer ocaml/hash_vectors > core/src/test/resources/ocaml-hash-vectors.tsv (ocamlopt -unsafe -inline 200, %s, %d-bit)\n"
    Sys.ocaml_version Sys.os_type Sys.word_size;
  Printf.printf "# columns: function\tseed\tmeaningful\ttotal\tinput\thash  (notation: see bench/peers/ocaml/hash_vectors.ml and bench/peers/README.md)\n";
  Array.iteri
    (fun k r -> Printf.printf "%s\t%s\t%s\t%s\t%s\t%d\n" r.fn (opt r.seed) (opt r.meaningful) (opt r.total) r.input hashes.(k))
    rows

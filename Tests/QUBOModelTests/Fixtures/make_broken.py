import os, json
os.chdir(os.path.dirname(os.path.abspath(__file__)))
cases = []  # (relpath, format, line, reason, bytes)
def add(fmt, name, content, line, reason):
    if isinstance(content, str): content = content.encode()
    rel = f"broken/{fmt}/{name}"
    cases.append((rel, fmt, line, reason, content))

junk = bytes([0x7f,0x45,0x4c,0x46,2,1,1,0,0,0,0,0,0,0,0,0]) + bytes(range(256))
junk_nonul = bytes([0xff,0xfe,0x01,0x02,0x20,0x33,0x0a,0x89,0x50,0x4e,0x47,0x0a])

# gset
add("gset","empty.txt","",1,"empty")
add("gset","blank_lines.txt","\n  \n\n",1,"empty")
add("gset","truncated_line.txt","3 2\n1 2 1\n2 3\n",3,"missing weight w")
add("gset","truncated_header.txt","3\n1 2 1\n",1,"missing edge count m")
add("gset","nonnumeric_weight.txt","3 2\n1 2 x\n2 3 1\n",2,"weight w 'x' is not a number")
add("gset","nonnumeric_index.txt","3 2\n1 2 1\nb 3 1\n",3,"vertex i 'b' is not an integer")
add("gset","float_index.txt","3 1\n1.5 2 1\n",2,"not an integer")
add("gset","nan_weight.txt","3 1\n1 2 nan\n",2,"not finite")
add("gset","inf_weight.txt","3 1\n1 2 -inf\n",2,"not finite")
add("gset","overflow_weight.txt","3 1\n1 2 1e400\n",2,"overflows a Double")
add("gset","index_too_high.txt","3 1\n1 4 1\n",2,"vertex j 4 is out of range (the last index is 3)")
add("gset","index_zero.txt","3 1\n0 2 1\n",2,"vertex i 0 is below the first index 1")
add("gset","index_negative.txt","3 1\n1 -2 1\n",2,"below the first index 1")
add("gset","index_int_overflow.txt","3 1\n1 99999999999999999999 1\n",2,"vertex j '99999999999999999999' is too large")
add("gset","index_int32_overflow.txt","3 1\n1 4294967298 1\n",2,"out of range")
add("gset","too_few_edges.txt","3 3\n1 2 1\n2 3 1\n",1,"declares m = 3 edges but the file has 2")
add("gset","too_many_edges.txt","3 1\n1 2 1\n2 3 1\n",3,"more edge lines than the m = 1")
add("gset","huge_header.txt","1000000000000 1\n1 2 1\n",1,"more than this")
add("gset","int_overflow_header.txt","123456789012345678901234567890 1\n",1,"too large")
add("gset","negative_count.txt","-5 1\n1 2 1\n",1,"negative")
add("gset","negative_edges.txt","5 -1\n",1,"negative")
add("gset","too_many_for_n.txt","3 10\n1 2 1\n",1,"exceed the 3 pairs")
add("gset","binary_junk.bin",junk,1,"binary data")
add("gset","binary_junk_nonul.bin",junk_nonul,1,"binary data")
add("gset","duplicate_edge.txt","3 2\n1 2 1\n2 1 1\n",3,"edge 1-2 appears twice")
add("gset","self_loop.txt","3 1\n2 2 1\n",2,"self-loop on vertex 2")
add("gset","extra_field.txt","3 1\n1 2 1 7\n",2,"unexpected extra field '7'")

# bqp
add("bqp","empty.txt","",1,"empty")
add("bqp","truncated_line.txt","3 2\n1 1 5\n1 2\n",3,"missing value q")
add("bqp","nonnumeric.txt","3 2\n1 1 5\n1 2 five\n",3,"value q 'five' is not a number")
add("bqp","nan.txt","3 1\n1 2 NaN\n",2,"not finite")
add("bqp","infinity.txt","3 1\n1 2 Infinity\n",2,"not finite")
add("bqp","index_too_high.txt","3 1\n1 4 2\n",2,"column j 4 is out of range")
add("bqp","index_zero.txt","3 1\n0 1 2\n",2,"row i 0 is below the first index 1")
add("bqp","lower_triangle.txt","3 1\n2 1 2\n",2,"below the diagonal")
add("bqp","duplicate_entry.txt","3 2\n1 2 2\n1 2 3\n",3,"entry 1 2 appears twice")
add("bqp","duplicate_diagonal.txt","3 2\n2 2 2\n2 2 3\n",3,"diagonal entry 2 2 appears twice")
add("bqp","too_few.txt","3 3\n1 1 1\n1 2 1\n",1,"declares nnz = 3 entries but the file has 2")
add("bqp","too_many.txt","3 1\n1 1 1\n1 2 1\n",3,"more entry lines than the nnz = 1")
add("bqp","huge_header.txt","1000000000000 1\n1 1 1\n",1,"more than this")
add("bqp","multi_instance.txt"," 10 \n 100 475 \n 1 1 3\n",1,"multi-instance")
add("bqp","binary_junk.bin",junk,1,"binary data")
add("bqp","binary_junk_nonul.bin",junk_nonul,1,"binary data")
add("bqp","negative_nnz.txt","3 -2\n",1,"negative")
add("bqp","index_overflow.txt","3 1\n1 18446744073709551617 2\n",2,"too large")

# coo
add("coo","empty.coo","",1,"empty")
add("coo","truncated_line.coo","# vartype=SPIN\n0 1 1.5\n1 2\n",3,"missing bias")
add("coo","nonnumeric.coo","# vartype=SPIN\n0 1 abc\n",2,"bias 'abc' is not a number")
add("coo","nan.coo","# vartype=SPIN\n0 1 1.0\n1 2 NaN\n",3,"not finite")
add("coo","inf.coo","# vartype=BINARY\n0 0 inf\n",2,"not finite")
add("coo","negative_label.coo","# vartype=SPIN\n-1 2 1.0\n",2,"label -1 is negative")
add("coo","label_overflow.coo","# vartype=SPIN\n0 99999999999999999999 1.0\n",2,"too large")
add("coo","conflicting_vartype.coo","# vartype=SPIN\n0 1 1.0\n# vartype=BINARY\n",3,"contradicts SPIN on line 1")
add("coo","unknown_vartype.coo","# vartype=TERNARY\n0 1 1.0\n",1,"unknown vartype 'ternary'")
add("coo","extra_field.coo","# vartype=SPIN\n0 1 1.0 2.0\n",2,"unexpected extra field '2.0'")
add("coo","binary_junk.bin",junk,1,"binary data")
add("coo","binary_junk_nonul.coo",junk_nonul,1,"binary data")
add("coo","bad_offset.coo","# vartype=SPIN\n# offset=nan\n0 1 1\n",2,"offset 'nan' is not a finite number")

# qubo
add("qubo","empty.qubo","",1,"empty")
add("qubo","no_program_line.qubo","c nothing\n0 0 1.0\n",2,"data before the program line")
add("qubo","only_comments.qubo","c one\nc two\n",2,"no program line")
add("qubo","truncated_program.qubo","p qubo 0 3\n",1,"missing nNodes")
add("qubo","not_qubo.qubo","p cnf 0 3 1 1\n",1,"program line names 'cnf'")
add("qubo","truncated_line.qubo","p qubo 0 3 1 1\n0 0 1.0\n0 1\n",3,"missing value")
add("qubo","nonnumeric.qubo","p qubo 0 3 1 0\n0 0 one\n",2,"value 'one' is not a number")
add("qubo","nan.qubo","p qubo 0 3 1 0\n0 0 nan\n",2,"not finite")
add("qubo","index_too_high.qubo","p qubo 0 3 0 1\n0 3 1.0\n",2,"index j 3 is out of range (the last index is 2)")
add("qubo","index_negative.qubo","p qubo 0 3 0 1\n-1 2 1.0\n",2,"index i -1 is below the first index 0")
add("qubo","too_few.qubo","c x\np qubo 0 3 2 1\n0 0 1.0\n0 1 2.0\n",2,"declares 2 nodes and 1 couplers, the file has 1 and 1")
add("qubo","too_many_couplers.qubo","p qubo 0 3 0 1\n0 1 1.0\n1 2 1.0\n",3,"more coupler lines")
add("qubo","too_many_nodes.qubo","p qubo 0 3 1 0\n0 0 1.0\n1 1 1.0\n",3,"more node lines")
add("qubo","huge_header.qubo","p qubo 0 1000000000000 1 0\n0 0 1\n",1,"more than this")
add("qubo","negative_count.qubo","p qubo 0 3 -1 0\n",1,"negative count")
add("qubo","second_program.qubo","p qubo 0 3 0 0\np qubo 0 3 0 0\n",2,"a second program line (the first is on line 1)")
add("qubo","coupler_reversed.qubo","p qubo 0 3 0 1\n2 1 1.0\n",2,"has i > j")
add("qubo","binary_junk.bin",junk,1,"binary data")
add("qubo","binary_junk_nonul.qubo",b"p qubo 0 3 1 0\n0 0 \x01\x02\n",2,"binary data")

# json
add("json","empty.json","",1,"empty")
add("json","truncated.json",'{"type": "BinaryQuadraticModel",\n "version": {"bqm_schema": "3.0.0"},\n "offset": ',3,"invalid JSON")
def bqm(**kw):
    d = {"type": "BinaryQuadraticModel", "version": {"bqm_schema": "3.0.0"}, "use_bytes": False,
         "index_type": "int32", "bias_type": "float64", "num_variables": 3, "num_interactions": 2,
         "variable_labels": [0, 1, 2], "variable_type": "SPIN", "offset": 0.5, "info": {},
         "linear_biases": [1.0, -1.0, 0.0], "quadratic_biases": [0.5, 1.0],
         "quadratic_head": [0, 1], "quadratic_tail": [1, 2]}
    d.update(kw)
    return d
def pretty(d):
    return json.dumps(d, indent=1)
add("json","nan_bias.json",pretty(bqm(linear_biases=[1.0, float('nan'), 0.0])).replace('NaN','NaN'),
    pretty(bqm()).split('\n').index('  -1.0,')+1 if False else None, "NaN is not a JSON number")
add("json","infinity_bias.json",json.dumps(bqm(offset=float('inf'))),1,"Infinity is not a JSON number")
add("json","string_bias.json",pretty(bqm(quadratic_biases=[0.5, "abc"])),None,"quadratic_biases[1] is \"abc\", not a number")
add("json","head_out_of_range.json",json.dumps(bqm(quadratic_head=[0, 5])),1,"quadratic_head[1] = 5 is out of range")
add("json","tail_negative.json",json.dumps(bqm(quadratic_tail=[-1, 2])),1,"quadratic_tail[0] = -1 is out of range")
add("json","linear_count.json",json.dumps(bqm(linear_biases=[1.0])),1,"linear_biases has 1 entries for 3 variable labels")
add("json","length_mismatch.json",json.dumps(bqm(quadratic_tail=[1])),1,"differ in length")
add("json","num_variables.json",json.dumps(bqm(num_variables=4)),1,"num_variables is 4")
add("json","use_bytes.json",json.dumps(bqm(use_bytes=True)),1,"use_bytes is true")
add("json","tuple_label.json",json.dumps(bqm(variable_labels=[0, [1, 2], 2])),1,"tuple label")
add("json","float_label.json",json.dumps(bqm(variable_labels=[0, 1.5, 2])),1,"labels must be integers or strings")
add("json","duplicate_label.json",json.dumps(bqm(variable_labels=["a", "b", "a"])),1,"variable label a appears twice")
add("json","old_schema.json",json.dumps(bqm(version={"bqm_schema": "2.0.0"})),1,"bqm_schema 2.0.0 is not supported")
add("json","sampleset.json",json.dumps({"type": "SampleSet", "version": {"sampleset_schema": "3.2.0"}}),1,"only a dimod BinaryQuadraticModel")
add("json","missing_offset.json",json.dumps({k: v for k, v in bqm().items() if k != "offset"}),1,"missing \"offset\"")
add("json","bad_vartype.json",json.dumps(bqm(variable_type="DISCRETE")),1,"\"variable_type\" must be")
add("json","self_loop.json",json.dumps(bqm(quadratic_head=[0, 2])),1,"joins variable 2 to itself")
add("json","not_object.json","[1, 2, 3]\n",1,"expected a JSON object")
add("json","binary_junk.bin",junk,1,"binary data")
add("json","binary_junk_nonul.json",b'{"type": \xff\xfe}',1,"invalid JSON")
add("json","bad_surrogate.json",'{"variable_labels": ["\\ud800\\u0041"]}',1,"invalid surrogate pair")

# fix up line numbers for pretty files: find line of the problem
for i,(rel,fmt,line,reason,content) in enumerate(cases):
    if line is None:
        text = content.decode()
        if rel.endswith("nan_bias.json"):
            line = next(k+1 for k,l in enumerate(text.split('\n')) if 'NaN' in l)
        elif rel.endswith("string_bias.json"):
            line = next(k+1 for k,l in enumerate(text.split('\n')) if '"quadratic_biases"' in l)
        cases[i] = (rel,fmt,line,reason,content)

# repeated entries whose sum overflows a Double (found by fuzzing Fuzz/)
add("coo","linear_sum_overflow.coo","# vartype=SPIN\n0 0 1e308\n0 1 1\n0 0 1e308\n",4,"the sum of the entries for 0 0 overflows a Double")
add("coo","quadratic_sum_overflow.coo","0 1 -1.7976931348623157e308\n1 0 -1e308\n",2,"the sum of the entries for 1 0 overflows a Double")
add("coo","offset_sum_overflow.coo","# offset=1e308\n# offset=1e308\n0 1 1\n",2,"the offset overflows a Double")
add("qubo","node_sum_overflow.qubo","p qubo 0 2 2 0\n0 0 1e308\n0 0 1e308\n",3,"the sum of the node entries 0 0 overflows a Double")
add("qubo","coupler_sum_overflow.qubo","p qubo 0 3 0 2\n1 2 1e308\n1 2 1e308\n",3,"the sum of the coupler entries 1 2 overflows a Double")
add("qubo","offset_sum_overflow.qubo","c offset=-1e308\nc offset=-1e308\np qubo 0 1 0 0\n",2,"the offset overflows a Double")
add("json","quadratic_sum_overflow.json",json.dumps(bqm(quadratic_biases=[1e308, 1e308], quadratic_head=[0, 1], quadratic_tail=[1, 0])),1,"quadratic_biases[1] added to the earlier biases of the pair (1, 0) overflows a Double")
add("bqp","doubled_value_overflow.txt","3 1\n1 2 1e308\n",2,"value q 1e+308 overflows a Double when doubled")
add("gset","total_weight_overflow.txt","3 2\n1 2 1e308\n2 3 1e308\n",3,"the total weight W overflows a Double")

# dimod binary BQM files (bqm.to_file()); positions are byte offsets, so line 0
import struct
def dbqm(header=None, body=None, version=(2, 0), raw=None, **changes):
    h = dict(dtype="float64", itype="int32", ntype="int32", shape=[3, 1], type="BinaryQuadraticModel", variables=False, vartype="SPIN")
    h.update(header or {}, **changes)
    text = raw if raw is not None else json.dumps(h, sort_keys=True).encode() + b"\n"
    if (14 + len(text)) % 64: text += b" " * (64 - (14 + len(text)) % 64)
    return b"DIMODBQM" + bytes(version) + struct.pack("<I", len(text)) + text + (dbqm_body() if body is None else body)
def dbqm_body(offset=0.5, linear=(1.0, -1.0, 2.0), starts=(0, 1, 2), rows=((1, 0.5), (0, 0.5))):
    out = struct.pack("<d", offset)
    for s, b in zip(starts, linear): out += struct.pack("<id", s, b)
    for u, b in rows: out += struct.pack("<id", u, b)
    return out
def dvars(labels, raw=None):
    data = raw if raw is not None else json.dumps(labels).encode()
    if (8 + len(data)) % 64: data += b" " * (64 - (8 + len(data)) % 64)
    return b"VARS" + struct.pack("<I", len(data)) + data
add("dimodbqm","wrong_magic.bqm",b"DIMODCQM" + dbqm()[8:],0,"does not start with DIMODBQM")
add("dimodbqm","version_3.bqm",dbqm(version=(3, 0)),0,"format version 3.0 is not supported")
add("dimodbqm","truncated_length.bqm",b"DIMODBQM\x02\x00\x10\x00",0,"the file ends inside the header length")
add("dimodbqm","header_past_end.bqm",b"DIMODBQM\x02\x00" + struct.pack("<I", 4096) + b'{"shape"',0,"the file ends inside the header (4096 bytes")
add("dimodbqm","header_not_json.bqm",dbqm(raw=b"{shape: [3, 1]}\n"),0,"the header is not JSON")
add("dimodbqm","header_not_object.bqm",dbqm(raw=b"[3, 1]\n"),0,"the header is not a JSON object")
add("dimodbqm","negative_shape.bqm",dbqm(shape=[-1, 0]),0,"\"shape\" must be [variables, interactions]")
add("dimodbqm","complex_dtype.bqm",dbqm(dtype="complex128"),0,"\"dtype\" must be float32 or float64")
add("dimodbqm","float_itype.bqm",dbqm(itype="float64"),0,"\"itype\" must be an integer type")
add("dimodbqm","integer_vartype.bqm",dbqm(vartype="INTEGER"),0,"\"vartype\" must be \"BINARY\" or \"SPIN\"")
add("dimodbqm","huge_shape.bqm",dbqm(shape=[10**12, 0]),0,"more than this reader allows")
add("dimodbqm","huge_interactions.bqm",dbqm(shape=[3, 2**62]),0,"need more bytes than")
add("dimodbqm","truncated_body.bqm",dbqm()[:-7],0,"need more bytes than the")
add("dimodbqm","nan_offset.bqm",dbqm(body=dbqm_body(offset=float("nan"))),0,"the offset is nan, not finite")
add("dimodbqm","inf_linear.bqm",dbqm(body=dbqm_body(linear=(1.0, float("inf"), 0.0))),0,"the linear bias of variable 1 is inf")
add("dimodbqm","first_start_not_zero.bqm",dbqm(body=dbqm_body(starts=(1, 1, 2))),0,"variable 0's neighbourhood starts at 1, not 0")
add("dimodbqm","decreasing_starts.bqm",dbqm(body=dbqm_body(starts=(0, 2, 1))),0,"variable 2's neighbourhood starts at 1, outside 2...2")
add("dimodbqm","neighbour_out_of_range.bqm",dbqm(body=dbqm_body(rows=((7, 0.5), (0, 0.5)))),0,"variable 0 has neighbour 7, outside 0..<3")
add("dimodbqm","self_loop.bqm",dbqm(body=dbqm_body(rows=((1, 0.5), (1, 0.5)))),0,"variable 1 interacts with itself")
add("dimodbqm","sum_overflow.bqm",dbqm(shape=[2, 2], body=dbqm_body(linear=(0.0, 0.0), starts=(0, 2), rows=((1, 1e308), (1, 1e308), (0, 1e308), (0, 1e308)))),0,"the interactions of 0 and 1 sum past a Double's range")
add("dimodbqm","missing_vars.bqm",dbqm(variables=True),0,"there is no VARS section")
add("dimodbqm","vars_not_json.bqm",dbqm(variables=True) + dvars(None, raw=b"[a, b, c]"),0,"the VARS section is not a JSON list")
add("dimodbqm","tuple_label.bqm",dbqm(variables=True) + dvars(["a", [0, 1], "c"]),0,"label 1 is a tuple")
add("dimodbqm","float_label.bqm",dbqm(variables=True) + dvars(["a", 1.5, "c"]),0,"label 1 is 1.5")
add("dimodbqm","duplicate_label.bqm",dbqm(variables=True) + dvars(["a", "b", "a"]),0,"variable label a appears twice")
add("dimodbqm","too_few_labels.bqm",dbqm(variables=True) + dvars(["a", "b"]),0,"there are 2 labels for 3 variables")
add("dimodbqm","v1_flag_labels.bqm",dbqm(version=(1, 0)),0,"\"variables\" must be a list of labels in format 1")
add("dimodbqm","v2_list_labels.bqm",dbqm(variables=["a", "b", "c"]),0,"\"variables\" must be true or false in format 2")

# valid files: duplicates summed
add("coo","valid_duplicates.coo","# vartype=BINARY\n0 0 1.5\n0 0 2.5\n0 1 1\n1 0 2\n",0,"")
add("qubo","valid_duplicates.qubo","c dup\np qubo 0 2 2 2\n0 0 1.5\n0 0 2.5\n0 1 1\n0 1 2\n",0,"")

os.system("rm -rf broken")  # regenerate: cd Fixtures && python3 make_broken.py
with open("broken/manifest.tsv" if False else "manifest.tmp","w") as m:
    for rel,fmt,line,reason,content in cases:
        os.makedirs(os.path.dirname(rel), exist_ok=True)
        open(rel,"wb").write(content)
        m.write(f"{rel}\t{fmt}\t{line}\t{reason}\n")
os.rename("manifest.tmp","broken/manifest.tsv")
print(len(cases))

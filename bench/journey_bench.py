#!/usr/bin/env python3
"""journey_bench.py — the issue-3 figures on the bench data: readiness server time for 500
random cases (from the access log) and the evaluation of a new restriction against every
case. Run from the repository root after bench/run.sh made bench/data/awda.db."""
# Measures issue-3 figures on the 1M bench database: readiness server time
# (from the access log's "us") and the affected-cases evaluation of a new
# restriction over all cases.
import json, subprocess, time, urllib.request, random, sqlite3, sys, os
DB="bench/data/awda.db"; PORT=18095; B="http://127.0.0.1:%d"%PORT
pw=open("bench/data/admin_password.txt").read().strip()
log=open("/tmp/jb_server.log","w")
p=subprocess.Popen(["build/awda","serve","--db",DB,"--listen","127.0.0.1:%d"%PORT],stdout=subprocess.DEVNULL,stderr=log)
def req(m,path,body=None,tok=None,hdr=None):
    h={"Content-Type":"application/json"}
    if tok: h["Authorization"]="Bearer "+tok
    if hdr: h.update(hdr)
    r=urllib.request.Request(B+path,data=json.dumps(body).encode() if body is not None else None,method=m,headers=h)
    try:
        with urllib.request.urlopen(r) as f: return f.status, json.loads(f.read() or b"null")
    except urllib.error.HTTPError as e: return e.code, json.loads(e.read() or b"null")
for _ in range(200):
    try: urllib.request.urlopen(B+"/healthz"); break
    except Exception: time.sleep(0.05)
st,s=req("POST","/api/v1/session",{"username":"admin","password":pw}); tok=s["token"]
c=sqlite3.connect("file:"+DB+"?mode=ro",uri=True)
ids=[r[0] for r in c.execute("select id from cases order by random() limit 500")]
print("cases", c.execute("select count(*) from cases").fetchone()[0])
for i in ids: req("GET","/api/v1/cases/%s/readiness"%i,tok=tok)
# manager to create restriction
u="bench.manager%d"%random.randint(0,10**6)
req("POST","/api/v1/users",{"username":u,"password":"manager-password-1","roles":["manager"]},tok=tok)
st,s=req("POST","/api/v1/session",{"username":u,"password":"manager-password-1"}); mt=s["token"]
top=c.execute("select destination_country,count(*) n from cases group by 1 order by n desc limit 1").fetchone()
st,r=req("POST","/api/v1/restrictions",{"country":top[0],"kind":"suspended","effective_from":"2026-01-01","reason":"bench","next_review":"2027-01-01"},tok=mt)
rid=r["id"]
times=[]
for k in range(3):
    t=time.time(); st,a=req("GET","/api/v1/restrictions/%s/affected-cases"%rid,tok=mt); times.append(time.time()-t)
print("restriction on",top[0],"cases with that destination",top[1],"blocked",a["count"],"wall s",["%.2f"%x for x in times])
# lift it so the data stays usable
st,cur=req("GET","/api/v1/restrictions/%s"%rid,tok=mt)
req("PATCH","/api/v1/restrictions/%s"%rid,{"effective_until":"2026-01-01"},tok=mt,hdr={"If-Match":'"%d"'%cur["version"]})
p.terminate(); p.wait(); log.close()
us=[json.loads(l)["us"] for l in open("/tmp/jb_server.log") if '"route":"/api/v1/cases/{id}/readiness"' in l]
us.sort(); n=len(us)
print("readiness server time us: n=%d p50=%d p95=%d p99=%d max=%d"%(n,us[n//2],us[int(n*.95)],us[int(n*.99)],us[-1]))
aff=[json.loads(l)["us"] for l in open("/tmp/jb_server.log") if 'affected-cases' in l]
print("affected-cases server time ms:",[x/1000 for x in aff])

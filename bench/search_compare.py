#!/usr/bin/env python3
"""search_compare.py — the person search of two awda binaries side by side.

    python3 bench/search_compare.py BIN_A DB_A BIN_B DB_B

Starts each binary's server on its database (loopback, ports 8190 and
8191; DB.password holds the admin's password, as bench/cpu-per-request.sh
keeps it), signs in, and sends 150 queries typed as a case worker types
them (a given name or its first letters, or a given name and the first
letters of another; seed 5) to both, three times each, alternating.
Prints the total of each query's best time for A and B, their ratio,
how many first pages (limit 20) are the same (person ids: DB_A and
DB_B must be copies of one file, each migrated by its binary), and the twelve queries
that B slowed most. Measures the client's time from one connection:
compare ratios, not absolute figures, on a shared machine.
"""
import json
import random
import subprocess
import sys
import time
import urllib.parse
import urllib.request

FIRST=["Mohamed","Muhammad","Ahmed","Mahmoud","Abdallah","Osman","Omar","Ali","Hassan","Ibrahim","Adam","Musa","Fatima","Aisha","Amna","Khadija","Zeinab","Mariam","Hawa","Tesfaye","Abebe","Dawit","Amadou","Moussa","Oumar","Fatoumata","Aminata","Mamadou","Ibrahima","Abdoulaye","محمد","أحمد","عثمان","علي","فاطمة","زينب"]
SECOND=["Mohamed","Ahmed","Osman","Hassan","Ibrahim","Abdallah","Adam","Musa","Eltayeb","Babiker","Bashir","Hamid","Ali","Bekele","Haile","Girma","Kebede","Habtom","Traore","Keita","Coulibaly","Diarra","Diallo","Barry","Camara","Ouedraogo","محمد","أحمد","حسن","إبراهيم","عبد الله","موسى"]
rnd=random.Random(5)
def pre(w,m):
    return w if len(w)<=m else w[:rnd.randint(m,len(w))]
qs=[]
for i in range(150):
    if rnd.random()<0.5: qs.append(pre(rnd.choice(FIRST),3))
    else: qs.append(rnd.choice(FIRST)+" "+pre(rnd.choice(SECOND),2))
def start(b,db,port):
    p=subprocess.Popen([b,"serve","--db",db,"--listen","127.0.0.1:%d"%port,"--threads","2"],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
    for _ in range(500):
        try:
            urllib.request.urlopen("http://127.0.0.1:%d/healthz"%port).read(); break
        except Exception: time.sleep(0.05)
    pw=open(db+".password").read().strip()
    r=urllib.request.Request("http://127.0.0.1:%d/api/v1/session"%port,data=json.dumps({"username":"admin","password":pw}).encode(),headers={"Content-Type":"application/json"})
    tok=json.load(urllib.request.urlopen(r))["token"]
    return p,tok
srv=[]
for i,(b,db) in enumerate([(sys.argv[1],sys.argv[2]),(sys.argv[3],sys.argv[4])]):
    srv.append(start(b,db,8190+i)+(8190+i,))
def one(s,q):
    p,tok,port=s
    r=urllib.request.Request("http://127.0.0.1:%d/api/v1/persons?limit=20&q=%s"%(port,urllib.parse.quote(q)),headers={"Authorization":"Bearer "+tok})
    t=time.perf_counter(); d=json.load(urllib.request.urlopen(r)); return time.perf_counter()-t, [x["id"] for x in d["items"]]
res=[]
for q in qs:
    best=[9,9]; ids=[None,None]
    for rep in range(3):
        for k in (0,1):
            t,i=one(srv[k],q); best[k]=min(best[k],t); ids[k]=i
    res.append((q,best[0]*1000,best[1]*1000,ids[0]==ids[1]))
for p,_,_ in srv: p.terminate()
res.sort(key=lambda r:r[2]-r[1],reverse=True)
ta=sum(r[1] for r in res); tb=sum(r[2] for r in res)
print("total ms A %.1f B %.1f ratio %.2f; same answers %d/%d"%(ta,tb,tb/ta,sum(r[3] for r in res),len(res)))
for r in res[:12]: print("%-28s A %7.2f  B %7.2f  same=%s"%r)

"""Queries of the shapes issue 18 lists that are not in queries_wide.py (P01-P40,
R01-R30, S01-S54), each with a DuckDB SQL text over the generator's CSV files: a check that the
optimiser's mechanisms serve shapes it was not built for (docs/PERFORMANCE.md, "A probe of
held-out shapes"). Entries are (id, Cypher, SQL or None).

    python3 benches/peers/probe_queries.py > /tmp/probe.json      # rolegraph's bench input
    rolegraph --data DATA/100000 bench --queries /tmp/probe.json --runs 10 > /tmp/rg.json
    VENV/bin/python benches/peers/probe_queries.py --duckdb DATA/100000 /tmp/rg.json
      # times each SQL text in DuckDB (seven runs, median) and prints the ratios and
      # whether the answers agree (BENCH_PEERS: the shared harness, for run_duckdb.load)
"""
import json
import os
import statistics
import sys
import time

UND = "(SELECT from_id a, to_id b FROM COLLABORATES_WITH UNION ALL SELECT to_id, from_id FROM COLLABORATES_WITH)"
P = [
 ("P01", "MATCH (r:Role)-[:WORKS_WITH]->(t:Team), (r)-[:RESPONSIBLE_FOR]->(x:Responsibility) WHERE t.name STARTS WITH 'Data' RETURN count(*)",
  "SELECT count(*) FROM WORKS_WITH w JOIN Team t ON t.id=w.to_id JOIN RESPONSIBLE_FOR x ON x.from_id=w.from_id WHERE starts_with(t.name,'Data')"),
 ("P02", "MATCH (s:Skill), (x:Responsibility) WHERE s.name = x.name RETURN count(*)",
  "SELECT count(*) FROM Skill s JOIN Responsibility x ON s.name=x.name"),
 ("P03", "MATCH (r:Role), (t:Team) WHERE right(r.id, 3) = right(t.id, 3) AND r.name STARTS WITH 'Chief' RETURN count(*)",
  "SELECT count(*) FROM Role r JOIN Team t ON right(r.id,3)=right(t.id,3) WHERE starts_with(r.name,'Chief')"),
 ("P04", "MATCH (t:Team) OPTIONAL MATCH (t)<-[:WORKS_WITH]-(r:Role) WITH t, count(r) AS w RETURN w, count(*) AS teams ORDER BY w",
  "SELECT w, count(*) FROM (SELECT t.id, count(ww.from_id) w FROM Team t LEFT JOIN WORKS_WITH ww ON ww.to_id=t.id GROUP BY t.id) GROUP BY w ORDER BY w"),
 ("P05", "MATCH (s:Skill) WHERE NOT (s)<-[:REQUIRES]-(:Role) RETURN count(s)",
  "SELECT count(*) FROM Skill s WHERE NOT EXISTS (SELECT 1 FROM REQUIRES e WHERE e.to_id=s.id)"),
 ("P06", "MATCH (r:Role) WHERE (r)-[:LEADS]->() AND (r)-[:COLLABORATES_WITH]->() RETURN count(r)",
  "SELECT count(*) FROM Role r WHERE EXISTS (SELECT 1 FROM LEADS l WHERE l.from_id=r.id) AND EXISTS (SELECT 1 FROM COLLABORATES_WITH c WHERE c.from_id=r.id)"),
 ("P07", "MATCH (x:Responsibility)<-[:RESPONSIBLE_FOR]-(r:Role) RETURN x.name, count(*) AS n ORDER BY n DESC, x.name LIMIT 10",
  "SELECT x.name, count(*) n FROM RESPONSIBLE_FOR e JOIN Responsibility x ON x.id=e.to_id GROUP BY x.name ORDER BY n DESC, x.name LIMIT 10"),
 ("P08", "MATCH (r:Role)-[:REQUIRES|RESPONSIBLE_FOR]->(n) RETURN r.id, count(*) AS n ORDER BY n DESC, r.id LIMIT 5",
  "SELECT from_id, count(*) n FROM (SELECT from_id FROM REQUIRES UNION ALL SELECT from_id FROM RESPONSIBLE_FOR) GROUP BY from_id ORDER BY n DESC, from_id LIMIT 5"),
 ("P09", "MATCH (s:Skill)<-[:REQUIRES]-(r:Role) WHERE s.id >= 'skill200' AND s.id < 'skill300' RETURN count(DISTINCT r)",
  "SELECT count(DISTINCT from_id) FROM REQUIRES WHERE to_id >= 'skill200' AND to_id < 'skill300'"),
 ("P10", "MATCH (r:Role)-[:LEADS]->(t:Team) WHERE r.name CONTAINS 'Security 9' RETURN count(t)",
  "SELECT count(*) FROM LEADS l JOIN Role r ON r.id=l.from_id WHERE contains(r.name,'Security 9')"),
 ("P11", "MATCH (t:Team) WHERE t.name STARTS WITH 'C' RETURN t.name ORDER BY t.name SKIP 50 LIMIT 10",
  "SELECT name FROM Team WHERE starts_with(name,'C') ORDER BY name LIMIT 10 OFFSET 50"),
 ("P12", "MATCH (r:Role)-[:REQUIRES]->(s:Skill) WITH r, count(s) AS k WHERE k > 7 MATCH (r)-[:REPORTS_TO]->(m:Role) RETURN count(DISTINCT m)",
  "SELECT count(DISTINCT e.to_id) FROM (SELECT from_id FROM REQUIRES GROUP BY from_id HAVING count(*) > 7) q JOIN REPORTS_TO e ON e.from_id=q.from_id"),
 ("P13", "MATCH (r:Role)-[:LEADS]->(t:Team) WITH t, collect(r.id) AS ids RETURN max(size(ids))",
  "SELECT max(c) FROM (SELECT count(*) c FROM LEADS GROUP BY to_id)"),
 ("P14", "UNWIND ['team1', 'team7', 'team42'] AS tid MATCH (t:Team {id: tid})<-[:WORKS_WITH]-(r:Role)-[:FOCUSES_ON]->(f:Focus) RETURN tid, f.name, count(*) AS n ORDER BY tid, f.name",
  "SELECT w.to_id, f.name, count(*) FROM WORKS_WITH w JOIN FOCUSES_ON o ON o.from_id=w.from_id JOIN Focus f ON f.id=o.to_id WHERE w.to_id IN ('team1','team7','team42') GROUP BY w.to_id, f.name ORDER BY w.to_id, f.name"),
 ("P15", "MATCH (r:Role)-[:RESPONSIBLE_FOR]->(x:Responsibility) WHERE r.name STARTS WITH 'Director' RETURN count(DISTINCT x)",
  "SELECT count(DISTINCT e.to_id) FROM RESPONSIBLE_FOR e JOIN Role r ON r.id=e.from_id WHERE starts_with(r.name,'Director')"),
 ("P16", "MATCH (a:Role)-[:WORKS_WITH]->(t:Team)<-[:LEADS]-(b:Role) WHERE a.name STARTS WITH 'Senior' RETURN count(*)",
  "SELECT count(*) FROM WORKS_WITH w JOIN Role a ON a.id=w.from_id JOIN LEADS l ON l.to_id=w.to_id WHERE starts_with(a.name,'Senior')"),
 ("P17", "MATCH (a:Role)-[:REPORTS_TO]->(b:Role)-[:LEADS]->(t:Team)<-[:WORKS_WITH]-(c:Role) WHERE a.id = 'r1234' RETURN count(*)",
  "SELECT count(*) FROM REPORTS_TO e JOIN LEADS l ON l.from_id=e.to_id JOIN WORKS_WITH w ON w.to_id=l.to_id WHERE e.from_id='r1234'"),
 ("P18", "MATCH (m:Role {id: 'r7'})<-[:REPORTS_TO*1..3]-(x:Role)-[:REQUIRES]->(s:Skill) RETURN count(DISTINCT s)",
  "WITH RECURSIVE down(id, d) AS (SELECT 'r7', 0 UNION ALL SELECT e.from_id, down.d+1 FROM down JOIN REPORTS_TO e ON e.to_id=down.id WHERE down.d < 3) SELECT count(DISTINCT q.to_id) FROM down JOIN REQUIRES q ON q.from_id=down.id WHERE down.d >= 1"),
 ("P19", "MATCH (r:Role {id: 'r54321'})-[:REPORTS_TO*]->(m:Role)-[:LEADS]->(t:Team) RETURN count(DISTINCT t)",
  "WITH RECURSIVE up(id) AS (SELECT to_id FROM REPORTS_TO WHERE from_id='r54321' UNION ALL SELECT e.to_id FROM up JOIN REPORTS_TO e ON e.from_id=up.id) SELECT count(DISTINCT l.to_id) FROM up JOIN LEADS l ON l.from_id=up.id"),
 ("P20", "MATCH (a:Role)-[:COLLABORATES_WITH]-(b:Role) WHERE a.id < b.id RETURN count(*)",
  "SELECT count(*) FROM (SELECT from_id a, to_id b FROM COLLABORATES_WITH UNION ALL SELECT to_id, from_id FROM COLLABORATES_WITH) WHERE a < b"),
 ("P22", "MATCH (r:Role) OPTIONAL MATCH (r)-[:LEADS]->(t:Team) WITH r, count(t) AS l OPTIONAL MATCH (r)-[:WORKS_WITH]->(u:Team) WITH r, l, count(u) AS w RETURN sum(l), sum(w)",
  "SELECT (SELECT count(*) FROM LEADS l JOIN Role r ON r.id=l.from_id), (SELECT count(*) FROM WORKS_WITH w JOIN Role r ON r.id=w.from_id)"),
 ("P23", "MATCH (f:Focus)<-[:FOCUSES_ON]-(r:Role) RETURN f.name, count(*) AS n, min(r.name) AS first ORDER BY first, f.name LIMIT 3",
  "SELECT f.name, count(*), min(r.name) AS first FROM FOCUSES_ON o JOIN Focus f ON f.id=o.to_id JOIN Role r ON r.id=o.from_id GROUP BY f.name ORDER BY first, f.name LIMIT 3"),
 ("P24", "MATCH (t:Team {name: 'Data team 59'})<-[:WORKS_WITH]-(r:Role) RETURN count(r)",
  "SELECT count(*) FROM WORKS_WITH w JOIN Team t ON t.id=w.to_id WHERE t.name='Data team 59'"),
 ("P25", "MATCH (m:Role {id: 'r3'})<-[:REPORTS_TO]-(r:Role)-[:COLLABORATES_WITH]->(c:Role) WHERE c.name ENDS WITH '1' RETURN count(*)",
  "SELECT count(*) FROM REPORTS_TO e JOIN COLLABORATES_WITH c ON c.from_id=e.from_id JOIN Role x ON x.id=c.to_id WHERE e.to_id='r3' AND ends_with(x.name,'1')"),
 ("P26", "MATCH (a:Role)-[:LEADS]->(t:Team), (b:Role)-[:WORKS_WITH]->(t), (a)-[:REPORTS_TO]->(b) RETURN count(*)",
  "SELECT count(*) FROM LEADS l JOIN WORKS_WITH w ON w.to_id=l.to_id JOIN REPORTS_TO e ON e.from_id=l.from_id AND e.to_id=w.from_id"),
 ("P27", "MATCH (s:Skill {id: 'skill9'}), (x:Responsibility) WHERE left(x.name, 4) = left(s.name, 4) RETURN count(x)",
  "SELECT count(*) FROM Skill s JOIN Responsibility x ON left(x.name,4)=left(s.name,4) WHERE s.id='skill9'"),
 ("P28", "MATCH (r:Role)-[:COLLABORATES_WITH]->(o:Role) RETURN r.id, count(*) AS n ORDER BY n DESC, r.id SKIP 100 LIMIT 5",
  "SELECT from_id, count(*) n FROM COLLABORATES_WITH GROUP BY from_id ORDER BY n DESC, from_id LIMIT 5 OFFSET 100"),
 ("P29", "MATCH (a:Role)-[:FOCUSES_ON]->(f:Focus)<-[:FOCUSES_ON]-(b:Role) WHERE a.id = 'r99' RETURN count(DISTINCT b)",
  "SELECT count(DISTINCT y.from_id) FROM FOCUSES_ON x JOIN FOCUSES_ON y ON y.to_id=x.to_id AND y.from_id<>x.from_id WHERE x.from_id='r99'"),
 ("P30", "MATCH (r:Role)-[:REQUIRES]->(s:Skill) RETURN sum(size(s.name))",
  "SELECT sum(length(s.name)) FROM REQUIRES e JOIN Skill s ON s.id=e.to_id"),
 ("P31", "MATCH (t:Team)<-[:LEADS]-(r:Role) RETURN t.name, min(r.id) AS m ORDER BY t.name LIMIT 5",
  "SELECT t.name, min(l.from_id) FROM LEADS l JOIN Team t ON t.id=l.to_id GROUP BY t.name ORDER BY t.name LIMIT 5"),
 ("P32", "MATCH (t:Team) WHERE NOT EXISTS { MATCH (t)<-[:LEADS]-(r:Role) WHERE r.name STARTS WITH 'Chief' } RETURN count(t)",
  "SELECT count(*) FROM Team t WHERE NOT EXISTS (SELECT 1 FROM LEADS l JOIN Role r ON r.id=l.from_id WHERE l.to_id=t.id AND starts_with(r.name,'Chief'))"),
 ("P33", "MATCH (f:Focus)<-[:FOCUSES_ON]-(r:Role) WHERE f.name IN ['growth', 'internal'] RETURN f.name, count(*) ORDER BY f.name",
  "SELECT f.name, count(*) FROM FOCUSES_ON o JOIN Focus f ON f.id=o.to_id WHERE f.name IN ('growth','internal') GROUP BY f.name ORDER BY f.name"),
 ("P34", "MATCH (a:Role)-[:LEADS]->(t:Team), (b:Role)-[:LEADS]->(u:Team) WHERE t.id = u.id AND a.id < b.id AND t.name STARTS WITH 'Security' RETURN count(*)",
  "SELECT count(*) FROM LEADS x JOIN LEADS y ON x.to_id=y.to_id AND x.from_id<y.from_id JOIN Team t ON t.id=x.to_id WHERE starts_with(t.name,'Security')"),
 ("P35", "MATCH (r:Role)-[:FOCUSES_ON]->(f:Focus), (r)-[:WORKS_WITH]->(t:Team) RETURN f.name, left(t.name, 4) AS area, count(*) AS n ORDER BY n DESC, f.name, area LIMIT 5",
  "SELECT f.name, left(t.name,4) AS area, count(*) n FROM FOCUSES_ON o JOIN Focus f ON f.id=o.to_id JOIN WORKS_WITH w ON w.from_id=o.from_id JOIN Team t ON t.id=w.to_id GROUP BY f.name, area ORDER BY n DESC, f.name, area LIMIT 5"),
 ("P36", "MATCH (r:Role) WHERE r.name ENDS WITH '99' RETURN r.id ORDER BY r.id LIMIT 5",
  "SELECT id FROM Role WHERE ends_with(name,'99') ORDER BY id LIMIT 5"),
 ("P37", "MATCH (m:Role)<-[:REPORTS_TO]-(r:Role) WHERE m.name STARTS WITH 'Director' RETURN count(r)",
  "SELECT count(*) FROM REPORTS_TO e JOIN Role m ON m.id=e.to_id WHERE starts_with(m.name,'Director')"),
 ("P38", "MATCH (r:Role)-[:REQUIRES]->(s:Skill) WHERE r.id IN ['r5', 'r50', 'r500', 'r5000'] RETURN r.id, collect(s.id) AS skills ORDER BY r.id",
  None),
 ("P39", "MATCH (a:Role)-[:REPORTS_TO]->(m:Role)<-[:REPORTS_TO]-(b:Role) WHERE a.id < b.id RETURN count(*)",
  "SELECT count(*) FROM REPORTS_TO x JOIN REPORTS_TO y ON y.to_id=x.to_id AND x.from_id<y.from_id"),
 ("P40", "MATCH (r:Role)-[:REQUIRES]->(s:Skill)<-[:REQUIRES]-(o:Role) WHERE r.id = 'r4321' AND o.id <> 'r4321' RETURN o.id, count(*) AS shared ORDER BY shared DESC, o.id LIMIT 5",
  "SELECT y.from_id, count(*) shared FROM REQUIRES x JOIN REQUIRES y ON y.to_id=x.to_id WHERE x.from_id='r4321' AND y.from_id<>'r4321' GROUP BY y.from_id ORDER BY shared DESC, y.from_id LIMIT 5"),
]

P += [
 ("R01", "MATCH (a:Role {id: 'r100'})-[:COLLABORATES_WITH]-(b:Role)-[:COLLABORATES_WITH]-(c:Role) WHERE c <> a RETURN count(DISTINCT c)",
  f"SELECT count(DISTINCT y.b) FROM {UND} x JOIN {UND} y ON y.a=x.b WHERE x.a='r100' AND y.b<>'r100'"),
 ("R02", "MATCH (m:Role)<-[:REPORTS_TO]-(r:Role)-[:REQUIRES]->(s:Skill) WHERE m.name STARTS WITH 'Director' RETURN s.name, count(*) AS n ORDER BY n DESC, s.name LIMIT 10",
  "SELECT s.name, count(*) n FROM REPORTS_TO e JOIN Role m ON m.id=e.to_id JOIN REQUIRES q ON q.from_id=e.from_id JOIN Skill s ON s.id=q.to_id WHERE starts_with(m.name,'Director') GROUP BY s.name ORDER BY n DESC, s.name LIMIT 10"),
 ("R03", "MATCH (r:Role) OPTIONAL MATCH (r)-[:LEADS]->(t:Team) WITH r, t WHERE t IS NULL RETURN count(r)",
  "SELECT count(*) FROM Role r WHERE NOT EXISTS (SELECT 1 FROM LEADS l WHERE l.from_id=r.id)"),
 ("R04", "MATCH (r:Role) WHERE r.id >= 'r5000' AND r.id < 'r5100' RETURN r.name ORDER BY r.name LIMIT 5",
  "SELECT name FROM Role WHERE id >= 'r5000' AND id < 'r5100' ORDER BY name LIMIT 5"),
 ("R05", "MATCH (t:Team) WHERE t.name ENDS WITH '7' RETURN count(t)",
  "SELECT count(*) FROM Team WHERE ends_with(name,'7')"),
 ("R06", "MATCH (r:Role)-[:REQUIRES]->(s:Skill) WHERE s.name CONTAINS 'ata' RETURN count(DISTINCT r)",
  "SELECT count(DISTINCT q.from_id) FROM REQUIRES q JOIN Skill s ON s.id=q.to_id WHERE contains(s.name,'ata')"),
 ("R08", "MATCH (t:Team)<-[:WORKS_WITH]-(r:Role) WITH t, count(r) AS n ORDER BY n DESC, t.id LIMIT 5 MATCH (t)<-[:LEADS]-(l:Role) RETURN t.id, n, count(l) AS leaders ORDER BY n DESC, t.id",
  "WITH top AS (SELECT to_id tid, count(*) n FROM WORKS_WITH GROUP BY to_id ORDER BY n DESC, to_id LIMIT 5) SELECT tid, n, count(*) FROM top JOIN LEADS l ON l.to_id=tid GROUP BY tid, n ORDER BY n DESC, tid"),
 ("R10", "MATCH (a:Role)-[:REPORTS_TO]->(b:Role)-[:LEADS]->(t:Team)<-[:WORKS_WITH]-(c:Role) RETURN count(*)",
  "SELECT count(*) FROM REPORTS_TO e JOIN LEADS l ON l.from_id=e.to_id JOIN WORKS_WITH w ON w.to_id=l.to_id"),
 ("R11", "MATCH (r:Role {id: 'r10'})<-[:REPORTS_TO*1..4]-(x:Role) RETURN count(DISTINCT x)",
  "WITH RECURSIVE d(id, k) AS (SELECT from_id, 1 FROM REPORTS_TO WHERE to_id='r10' UNION ALL SELECT e.from_id, d.k+1 FROM REPORTS_TO e JOIN d ON e.to_id=d.id WHERE d.k<4) SELECT count(DISTINCT id) FROM d"),
 ("R12", "MATCH (t:Team) WHERE NOT (t)<-[:LEADS]-(:Role) RETURN count(t)",
  "SELECT count(*) FROM Team t WHERE NOT EXISTS (SELECT 1 FROM LEADS l WHERE l.to_id=t.id)"),
 ("R13", "MATCH (a:Skill), (b:Skill) WHERE a.name = b.name AND a.id < b.id RETURN count(*)",
  "SELECT count(*) FROM Skill a JOIN Skill b ON a.name=b.name AND a.id<b.id"),
 ("R14", "MATCH (f:Focus)<-[:FOCUSES_ON]-(r:Role) WITH f, r MATCH (r)-[:REQUIRES]->(s:Skill) RETURN f.name, count(DISTINCT s) AS skills ORDER BY f.name",
  "SELECT f.name, count(DISTINCT q.to_id) FROM FOCUSES_ON o JOIN Focus f ON f.id=o.to_id JOIN REQUIRES q ON q.from_id=o.from_id GROUP BY f.name ORDER BY f.name"),
 ("R15", "MATCH (r:Role)-[:LEADS]->(t:Team) RETURN r.id, t.id ORDER BY r.id, t.id SKIP 1000 LIMIT 10",
  "SELECT from_id, to_id FROM LEADS ORDER BY from_id, to_id LIMIT 10 OFFSET 1000"),
 ("R16", "MATCH (r:Role)-[:FOCUSES_ON]->(f:Focus) RETURN DISTINCT f.name ORDER BY f.name",
  "SELECT DISTINCT f.name FROM FOCUSES_ON o JOIN Focus f ON f.id=o.to_id ORDER BY f.name"),
 ("R17", "MATCH (r:Role)-[:WORKS_WITH]->(t:Team) WHERE r.name STARTS WITH 'Senior' AND t.name STARTS WITH 'Data' RETURN count(*)",
  "SELECT count(*) FROM WORKS_WITH w JOIN Role r ON r.id=w.from_id JOIN Team t ON t.id=w.to_id WHERE starts_with(r.name,'Senior') AND starts_with(t.name,'Data')"),
 ("R18", "MATCH (s:Skill)<-[:REQUIRES]-(r:Role) WITH s, count(r) AS n RETURN max(n), min(n)",
  "SELECT max(n), min(n) FROM (SELECT to_id, count(*) n FROM REQUIRES GROUP BY to_id)"),
 ("R19", "MATCH (m:Role) WHERE EXISTS { MATCH (m)<-[:REPORTS_TO]-(r:Role) WHERE r.name STARTS WITH 'Chief' } RETURN count(m)",
  "SELECT count(*) FROM Role m WHERE EXISTS (SELECT 1 FROM REPORTS_TO e JOIN Role r ON r.id=e.from_id WHERE e.to_id=m.id AND starts_with(r.name,'Chief'))"),
 ("R21", "MATCH (r:Role)-[:COLLABORATES_WITH]-(o:Role) WHERE r.name STARTS WITH 'Director' RETURN count(*)",
  f"SELECT count(*) FROM {UND} u JOIN Role r ON r.id=u.a WHERE starts_with(r.name,'Director')"),
 ("R22", "MATCH (r:Role) RETURN substring(r.name, 0, 3) AS p, count(*) AS n ORDER BY n DESC, p LIMIT 5",
  "SELECT substring(name,1,3) p, count(*) n FROM Role GROUP BY p ORDER BY n DESC, p LIMIT 5"),
 ("R23", "MATCH (r:Role {id: 'r42'})-[:COLLABORATES_WITH]-(o:Role) RETURN o.id ORDER BY o.id LIMIT 3",
  f"SELECT u.b FROM {UND} u WHERE u.a='r42' ORDER BY u.b LIMIT 3"),
 ("R24", "MATCH (r:Role)-[:RESPONSIBLE_FOR]->(x:Responsibility) WITH x, count(r) AS n WHERE n > 10 RETURN count(x), sum(n)",
  "SELECT count(*), sum(n) FROM (SELECT to_id, count(*) n FROM RESPONSIBLE_FOR GROUP BY to_id) WHERE n > 10"),
 ("R25", "MATCH (a:Role)-[:REPORTS_TO]->(m:Role) WHERE a.name STARTS WITH 'Senior' AND m.name STARTS WITH 'Director' RETURN m.id, count(a) AS n ORDER BY n DESC, m.id LIMIT 5",
  "SELECT m.id, count(*) n FROM REPORTS_TO e JOIN Role a ON a.id=e.from_id JOIN Role m ON m.id=e.to_id WHERE starts_with(a.name,'Senior') AND starts_with(m.name,'Director') GROUP BY m.id ORDER BY n DESC, m.id LIMIT 5"),
 ("R26", "MATCH (r:Role)-[:REQUIRES]->(s:Skill) WITH r, collect(s.id) AS skills WHERE size(skills) >= 9 RETURN count(r)",
  "SELECT count(*) FROM (SELECT from_id, count(*) n FROM REQUIRES GROUP BY from_id) WHERE n >= 9"),
 ("R27", "MATCH (t:Team)<-[:WORKS_WITH]-(r:Role)-[:LEADS]->(u:Team) WHERE t <> u RETURN count(DISTINCT t)",
  "SELECT count(DISTINCT w.to_id) FROM WORKS_WITH w JOIN LEADS l ON l.from_id=w.from_id WHERE l.to_id<>w.to_id"),
 ("R28", "MATCH (r:Role) WHERE r.id IN ['r1', 'r22', 'r333', 'r4444'] OPTIONAL MATCH (r)-[:REPORTS_TO]->(m:Role) RETURN r.id, m.id ORDER BY r.id",
  "SELECT r.id, e.to_id FROM Role r LEFT JOIN REPORTS_TO e ON e.from_id=r.id WHERE r.id IN ('r1','r22','r333','r4444') ORDER BY r.id"),
 ("R29", "MATCH (x:Responsibility) RETURN x.name ORDER BY x.name DESC SKIP 20 LIMIT 5",
  "SELECT name FROM Responsibility ORDER BY name DESC LIMIT 5 OFFSET 20"),
 ("R30", "MATCH (a:Role)-[:COLLABORATES_WITH]->(b:Role)-[:COLLABORATES_WITH]->(c:Role) WHERE a.id = 'r777' RETURN count(*)",
  "SELECT count(*) FROM COLLABORATES_WITH x JOIN COLLABORATES_WITH y ON y.from_id=x.to_id WHERE x.from_id='r777'"),
]


# The third set (S): other labels, types, directions, WHERE placements and functions.
SUBT = "WITH RECURSIVE d(id, k) AS (SELECT from_id, 1 FROM REPORTS_TO WHERE to_id={m} UNION ALL SELECT e.from_id, d.k+1 FROM REPORTS_TO e JOIN d ON e.to_id=d.id WHERE d.k<{k}) "
UP = "WITH RECURSIVE u(id, k) AS (SELECT to_id, 1 FROM REPORTS_TO WHERE from_id={r} UNION ALL SELECT e.to_id, u.k+1 FROM REPORTS_TO e JOIN u ON e.from_id=u.id WHERE u.k<{k}) "
P += [
 ("S01", "MATCH (r:Role)-[:LEADS]->(t:Team), (r)-[:FOCUSES_ON]->(f:Focus) WHERE f.name = 'growth' RETURN t.name, count(*) AS n ORDER BY n DESC, t.name LIMIT 5",
  "SELECT t.name, count(*) n FROM LEADS l JOIN FOCUSES_ON o ON o.from_id=l.from_id JOIN Focus f ON f.id=o.to_id JOIN Team t ON t.id=l.to_id WHERE f.name='growth' GROUP BY t.name ORDER BY n DESC, t.name LIMIT 5"),
 ("S02", "MATCH (r:Role)-[:RESPONSIBLE_FOR]->(x:Responsibility), (r)-[:REPORTS_TO]->(m:Role) WHERE x.name STARTS WITH 'Security' AND m.name STARTS WITH 'VP' RETURN count(DISTINCT r)",
  "SELECT count(DISTINCT e.from_id) FROM RESPONSIBLE_FOR e JOIN Responsibility x ON x.id=e.to_id JOIN REPORTS_TO p ON p.from_id=e.from_id JOIN Role m ON m.id=p.to_id WHERE starts_with(x.name,'Security') AND starts_with(m.name,'VP')"),
 ("S03", "MATCH (s:Skill)<-[:REQUIRES]-(r:Role)-[:WORKS_WITH]->(t:Team), (r)-[:FOCUSES_ON]->(f:Focus {name: 'external'}) WHERE s.id = 'skill3' RETURN count(*)",
  "SELECT count(*) FROM REQUIRES q JOIN WORKS_WITH w ON w.from_id=q.from_id JOIN FOCUSES_ON o ON o.from_id=q.from_id JOIN Focus f ON f.id=o.to_id WHERE q.to_id='skill3' AND f.name='external'"),
 ("S04", "MATCH (t:Team), (x:Responsibility) WHERE split(t.name, ' ')[0] = split(x.name, ' ')[0] AND t.id ENDS WITH '0' RETURN count(*)",
  "SELECT count(*) FROM Team t JOIN Responsibility x ON split_part(t.name,' ',1)=split_part(x.name,' ',1) WHERE ends_with(t.id,'0')"),
 ("S05", "MATCH (r:Role)-[:LEADS]->(t:Team), (s:Skill) WHERE s.id = 'skill' + substring(t.id, 4) RETURN count(*)",
  "SELECT count(*) FROM LEADS l JOIN Skill s ON s.id = 'skill' || substring(l.to_id, 5)"),
 ("S06", "MATCH (a:Role {id: 'r300'}), (b:Role) WHERE b.name ENDS WITH right(a.name, 3) RETURN count(b)",
  "SELECT count(*) FROM Role a, Role b WHERE a.id='r300' AND ends_with(b.name, right(a.name,3))"),
 ("S07", "MATCH (s:Skill) WHERE s.name STARTS WITH 'Cloud' OPTIONAL MATCH (s)<-[:REQUIRES]-(r:Role) WHERE r.name STARTS WITH 'Chief' RETURN s.id, count(r) AS chiefs ORDER BY chiefs DESC, s.id LIMIT 5",
  "SELECT s.id, count(j.rid) c FROM Skill s LEFT JOIN (SELECT q.to_id sid, r.id rid FROM REQUIRES q JOIN Role r ON r.id=q.from_id WHERE starts_with(r.name,'Chief')) j ON j.sid=s.id WHERE starts_with(s.name,'Cloud') GROUP BY s.id ORDER BY c DESC, s.id LIMIT 5"),
 ("S08", "MATCH (r:Role) WHERE r.name STARTS WITH 'VP' OPTIONAL MATCH (r)<-[:COLLABORATES_WITH]-(c:Role) RETURN r.id, count(c) AS fans ORDER BY fans DESC, r.id LIMIT 5",
  "SELECT r.id, count(c.from_id) n FROM Role r LEFT JOIN COLLABORATES_WITH c ON c.to_id=r.id WHERE starts_with(r.name,'VP') GROUP BY r.id ORDER BY n DESC, r.id LIMIT 5"),
 ("S09", "MATCH (x:Responsibility) WHERE x.name CONTAINS 'vendors' OPTIONAL MATCH (x)<-[:RESPONSIBLE_FOR]-(r:Role)-[:LEADS]->(t:Team) RETURN count(DISTINCT x), count(r), count(DISTINCT t)",
  "SELECT count(DISTINCT x.id), count(j.rid), count(DISTINCT j.tid) FROM Responsibility x LEFT JOIN (SELECT e.to_id xid, e.from_id rid, l.to_id tid FROM RESPONSIBLE_FOR e JOIN LEADS l ON l.from_id=e.from_id) j ON j.xid=x.id WHERE contains(x.name,'vendors')"),
 ("S10", "MATCH (r:Role) WHERE r.name STARTS WITH 'Director' AND NOT EXISTS { MATCH (r)<-[:REPORTS_TO]-(d:Role) WHERE d.name STARTS WITH 'Senior Manager' } RETURN count(r)",
  "SELECT count(*) FROM Role r WHERE starts_with(r.name,'Director') AND NOT EXISTS (SELECT 1 FROM REPORTS_TO e JOIN Role d ON d.id=e.from_id WHERE e.to_id=r.id AND starts_with(d.name,'Senior Manager'))"),
 ("S11", "MATCH (t:Team) WHERE EXISTS { MATCH (t)<-[:WORKS_WITH]-(r:Role)-[:FOCUSES_ON]->(:Focus {name: 'internal'}) WHERE r.name STARTS WITH 'SVP' } RETURN count(t)",
  "SELECT count(*) FROM Team t WHERE EXISTS (SELECT 1 FROM WORKS_WITH w JOIN Role r ON r.id=w.from_id JOIN FOCUSES_ON o ON o.from_id=w.from_id JOIN Focus f ON f.id=o.to_id WHERE w.to_id=t.id AND f.name='internal' AND starts_with(r.name,'SVP'))"),
 ("S12", "MATCH (r:Role)-[:REQUIRES]->(s:Skill {id: 'skill2'}) WHERE NOT (r)-[:COLLABORATES_WITH]-(:Role)-[:REQUIRES]->(s) RETURN count(r)",
  f"SELECT count(*) FROM REQUIRES q WHERE q.to_id='skill2' AND NOT EXISTS (SELECT 1 FROM {UND} u JOIN REQUIRES q2 ON q2.from_id=u.b WHERE u.a=q.from_id AND q2.to_id='skill2')"),
 ("S13", "MATCH (f:Focus) RETURN f.name, EXISTS { MATCH (f)<-[:FOCUSES_ON]-(r:Role) WHERE r.id = 'r77' } AS mine ORDER BY f.name",
  "SELECT f.name, EXISTS (SELECT 1 FROM FOCUSES_ON o WHERE o.to_id=f.id AND o.from_id='r77') FROM Focus f ORDER BY f.name"),
 ("S14", "MATCH (r:Role {id: 'r9'})-[:REPORTS_TO*2..5]->(m:Role) RETURN m.id ORDER BY m.id",
  UP.format(r="'r9'", k=5) + "SELECT id FROM u WHERE k>=2 ORDER BY id"),
 ("S15", "MATCH (m:Role {id: 'r4'})<-[:REPORTS_TO*1..3]-(x:Role)-[:LEADS]->(t:Team) WHERE t.name STARTS WITH 'Data' RETURN x.id, t.id ORDER BY x.id, t.id LIMIT 10",
  SUBT.format(m="'r4'", k=3) + "SELECT d.id, t.id FROM d JOIN LEADS l ON l.from_id=d.id JOIN Team t ON t.id=l.to_id WHERE starts_with(t.name,'Data') ORDER BY d.id, t.id LIMIT 10"),
 ("S16", "MATCH (x:Role)-[:REPORTS_TO*]->(m:Role {id: 'r6'}) RETURN count(DISTINCT x), min(x.name), max(x.id)",
  SUBT.format(m="'r6'", k=100) + "SELECT count(DISTINCT r.id), min(r.name), max(r.id) FROM d JOIN Role r ON r.id=d.id"),
 ("S17", "MATCH (r:Role)-[:REPORTS_TO*]->(c:Role {id: 'ceo'}) WHERE r.name STARTS WITH 'VP' RETURN count(r)",
  SUBT.format(m="'ceo'", k=100) + "SELECT count(*) FROM d JOIN Role r ON r.id=d.id WHERE starts_with(r.name,'VP')"),
 ("S18", "MATCH p = (m:Role {id: 'r2'})<-[:REPORTS_TO*1..3]-(x:Role) RETURN length(p) AS d, count(*) AS n, count(DISTINCT left(x.name, 3)) AS titles ORDER BY d",
  SUBT.format(m="'r2'", k=3) + "SELECT d.k, count(*), count(DISTINCT left(r.name,3)) FROM d JOIN Role r ON r.id=d.id GROUP BY d.k ORDER BY d.k"),
 ("S19", "MATCH (a:Role)-[:COLLABORATES_WITH]-(b:Role) WHERE a.name STARTS WITH 'VP' AND b.name STARTS WITH 'Director' RETURN count(*)",
  f"SELECT count(*) FROM {UND} u JOIN Role a ON a.id=u.a JOIN Role b ON b.id=u.b WHERE starts_with(a.name,'VP') AND starts_with(b.name,'Director')"),
 ("S20", "MATCH (r:Role {id: 'r321'})-[:COLLABORATES_WITH]-(o:Role)-[:LEADS]->(t:Team) RETURN t.name ORDER BY t.name",
  f"SELECT t.name FROM {UND} u JOIN LEADS l ON l.from_id=u.b JOIN Team t ON t.id=l.to_id WHERE u.a='r321' ORDER BY t.name"),
 ("S21", "MATCH (t:Team)--(r:Role) WHERE t.name STARTS WITH 'Legal' RETURN count(DISTINCT r), count(*)",
  "SELECT count(DISTINCT e.from_id), count(*) FROM (SELECT from_id, to_id FROM LEADS UNION ALL SELECT from_id, to_id FROM WORKS_WITH) e JOIN Team t ON t.id=e.to_id WHERE starts_with(t.name,'Legal')"),
 ("S22", "MATCH (r:Role)-[:COLLABORATES_WITH]->(o:Role) WHERE r.name STARTS WITH 'Senior' RETURN o.id, count(r) AS n ORDER BY n DESC, o.id LIMIT 5",
  "SELECT c.to_id, count(*) n FROM COLLABORATES_WITH c JOIN Role r ON r.id=c.from_id WHERE starts_with(r.name,'Senior') GROUP BY c.to_id ORDER BY n DESC, c.to_id LIMIT 5"),
 ("S23", "MATCH (x:Responsibility)<-[:RESPONSIBLE_FOR]-(r:Role)-[:REPORTS_TO]->(m:Role) RETURN x.id, count(DISTINCT m) AS managers ORDER BY managers DESC, x.id LIMIT 5",
  "SELECT e.to_id, count(DISTINCT p.to_id) n FROM RESPONSIBLE_FOR e JOIN REPORTS_TO p ON p.from_id=e.from_id GROUP BY e.to_id ORDER BY n DESC, e.to_id LIMIT 5"),
 ("S24", "MATCH (r:Role)-[:WORKS_WITH]->(t:Team) RETURN split(t.name, ' ')[0] AS area, count(*) AS n ORDER BY n DESC, area LIMIT 5",
  "SELECT split_part(t.name,' ',1) a, count(*) n FROM WORKS_WITH w JOIN Team t ON t.id=w.to_id GROUP BY a ORDER BY n DESC, a LIMIT 5"),
 ("S25", "MATCH (r:Role)-[:FOCUSES_ON]->(f:Focus) RETURN left(r.name, 3) AS title, f.name AS focus, count(*) AS n ORDER BY n DESC, title, focus LIMIT 5",
  "SELECT left(r.name,3) t, f.name fn, count(*) n FROM FOCUSES_ON o JOIN Role r ON r.id=o.from_id JOIN Focus f ON f.id=o.to_id GROUP BY t, fn ORDER BY n DESC, t, fn LIMIT 5"),
 ("S26", "MATCH (f:Focus) WHERE f.name CONTAINS 'line' OR f.name ENDS WITH 'term' RETURN f.id ORDER BY f.id",
  "SELECT id FROM Focus WHERE contains(name,'line') OR ends_with(name,'term') ORDER BY id"),
 ("S27", "MATCH (x:Responsibility) WHERE x.id >= 'resp5000' AND x.id < 'resp5100' AND x.name CONTAINS 'budget' RETURN x.id, x.name ORDER BY x.id",
  "SELECT id, name FROM Responsibility WHERE id >= 'resp5000' AND id < 'resp5100' AND contains(name,'budget') ORDER BY id"),
 ("S28", "MATCH (s:Skill) WHERE toUpper(s.name) STARTS WITH 'DATA' AND size(s.name) > 14 RETURN count(s)",
  "SELECT count(*) FROM Skill WHERE starts_with(upper(name),'DATA') AND length(name) > 14"),
 ("S29", "MATCH (r:Role) WHERE r.name IN ['Chief Research 15', 'Chief Innovation 16', 'Chief Executive Officer', 'No Such Role'] RETURN r.id ORDER BY r.id",
  "SELECT id FROM Role WHERE name IN ('Chief Research 15', 'Chief Innovation 16', 'Chief Executive Officer', 'No Such Role') ORDER BY id"),
 ("S30", "MATCH (r:Role)-[:REPORTS_TO]->(m:Role) WHERE m.id = 'r2' RETURN r.name ORDER BY r.name DESC SKIP 3 LIMIT 4",
  "SELECT r.name FROM REPORTS_TO e JOIN Role r ON r.id=e.from_id WHERE e.to_id='r2' ORDER BY r.name DESC LIMIT 4 OFFSET 3"),
 ("S31", "MATCH (r:Role) RETURN r.id, r.name ORDER BY size(r.name) DESC, r.id SKIP 10 LIMIT 5",
  "SELECT id, name FROM Role ORDER BY length(name) DESC, id LIMIT 5 OFFSET 10"),
 ("S32", "MATCH (t:Team)<-[:LEADS]-(r:Role) RETURN t.id, r.name ORDER BY r.name, t.id SKIP 200 LIMIT 10",
  "SELECT l.to_id, r.name FROM LEADS l JOIN Role r ON r.id=l.from_id ORDER BY r.name, l.to_id LIMIT 10 OFFSET 200"),
 ("S33", "MATCH (r:Role)-[:REQUIRES]->(s:Skill) WITH s, count(*) AS n ORDER BY n DESC, s.id LIMIT 3 MATCH (s)<-[:REQUIRES]-(o:Role)-[:LEADS]->(t:Team) RETURN s.id, n, count(DISTINCT t) AS teams ORDER BY s.id",
  "WITH top AS (SELECT to_id sid, count(*) n FROM REQUIRES GROUP BY to_id ORDER BY n DESC, to_id LIMIT 3) SELECT sid, n, count(DISTINCT l.to_id) FROM top JOIN REQUIRES q ON q.to_id=sid JOIN LEADS l ON l.from_id=q.from_id GROUP BY sid, n ORDER BY sid"),
 ("S34", "MATCH (m:Role)<-[:REPORTS_TO]-(r:Role) WITH m, count(r) AS k WHERE k >= 8 MATCH (m)-[:FOCUSES_ON]->(f:Focus) RETURN f.name AS focus, count(m) AS managers, sum(k) AS reports ORDER BY focus",
  "WITH mk AS (SELECT to_id m, count(*) k FROM REPORTS_TO GROUP BY to_id HAVING count(*) >= 8) SELECT f.name, count(*), sum(k) FROM mk JOIN FOCUSES_ON o ON o.from_id=mk.m JOIN Focus f ON f.id=o.to_id GROUP BY f.name ORDER BY f.name"),
 ("S35", "MATCH (r:Role) WITH r.name AS name, r.id AS id WHERE name STARTS WITH 'Lead Data' RETURN count(*)",
  "SELECT count(*) FROM Role WHERE starts_with(name,'Lead Data')"),
 ("S36", "MATCH (r:Role)-[:LEADS]->(t:Team) WITH t, count(r) AS leaders WITH leaders, count(t) AS teams RETURN leaders, teams ORDER BY leaders",
  "SELECT n, count(*) FROM (SELECT to_id, count(*) n FROM LEADS GROUP BY to_id) GROUP BY n ORDER BY n"),
 ("S37", "MATCH (r:Role {id: 'r3'})-[:RESPONSIBLE_FOR]->(x:Responsibility) WITH collect(x.id) AS ids UNWIND ids AS xid MATCH (o:Role)-[:RESPONSIBLE_FOR]->(y:Responsibility {id: xid}) RETURN xid, count(o) AS n ORDER BY xid",
  "SELECT e.to_id, count(*) FROM RESPONSIBLE_FOR e WHERE e.to_id IN (SELECT to_id FROM RESPONSIBLE_FOR WHERE from_id='r3') GROUP BY e.to_id ORDER BY e.to_id"),
 ("S38", "MATCH (t:Team)<-[:LEADS]-(r:Role) WITH t, collect(r.name) AS names WHERE size(names) >= 65 RETURN t.id, size(names) AS n ORDER BY n DESC, t.id LIMIT 5",
  "SELECT to_id, count(*) n FROM LEADS GROUP BY to_id HAVING count(*) >= 65 ORDER BY n DESC, to_id LIMIT 5"),
 ("S39", "UNWIND range(1, 20) AS k WITH 'skill' + toString(k * 7) AS sid MATCH (s:Skill {id: sid})<-[:REQUIRES]-(r:Role) WHERE r.name STARTS WITH 'Senior' RETURN sid, count(r) AS n ORDER BY n DESC, sid LIMIT 5",
  "SELECT q.to_id, count(*) n FROM REQUIRES q JOIN Role r ON r.id=q.from_id WHERE q.to_id IN (SELECT 'skill' || (k*7) FROM range(1,21) t(k)) AND starts_with(r.name,'Senior') GROUP BY q.to_id ORDER BY n DESC, q.to_id LIMIT 5"),
 ("S40", "MATCH (r:Role)-[:WORKS_WITH]->(t:Team) WHERE r.name STARTS WITH 'Chief' RETURN DISTINCT left(t.name, 4) AS head ORDER BY head",
  "SELECT DISTINCT left(t.name,4) h FROM WORKS_WITH w JOIN Role r ON r.id=w.from_id JOIN Team t ON t.id=w.to_id WHERE starts_with(r.name,'Chief') ORDER BY h"),
 ("S41", "MATCH (r:Role)-[:COLLABORATES_WITH]->(o:Role) WHERE r.name STARTS WITH 'VP' RETURN count(DISTINCT o.name)",
  "SELECT count(DISTINCT o.name) FROM COLLABORATES_WITH c JOIN Role r ON r.id=c.from_id JOIN Role o ON o.id=c.to_id WHERE starts_with(r.name,'VP')"),
 ("S42", "MATCH (a:Role)-[:COLLABORATES_WITH]->(b:Role)-[:REPORTS_TO]->(c:Role) WHERE c.name STARTS WITH 'SVP' RETURN count(*)",
  "SELECT count(*) FROM COLLABORATES_WITH x JOIN REPORTS_TO p ON p.from_id=x.to_id JOIN Role c ON c.id=p.to_id WHERE starts_with(c.name,'SVP')"),
 ("S43", "MATCH (f:Focus {name: 'long-term'})<-[:FOCUSES_ON]-(r:Role)-[:REPORTS_TO]->(m:Role)-[:FOCUSES_ON]->(f) RETURN count(*)",
  "SELECT count(*) FROM FOCUSES_ON o JOIN Focus f ON f.id=o.to_id JOIN REPORTS_TO p ON p.from_id=o.from_id JOIN FOCUSES_ON o2 ON o2.from_id=p.to_id AND o2.to_id=o.to_id WHERE f.name='long-term'"),
 ("S44", "MATCH (t:Team {id: 'team5'})<-[:LEADS]-(r:Role)-[:REQUIRES]->(s:Skill) RETURN s.id, count(*) AS n ORDER BY n DESC, s.id LIMIT 5",
  "SELECT q.to_id, count(*) n FROM LEADS l JOIN REQUIRES q ON q.from_id=l.from_id WHERE l.to_id='team5' GROUP BY q.to_id ORDER BY n DESC, q.to_id LIMIT 5"),
 ("S45", "MATCH (r:Role)-[e:LEADS|WORKS_WITH|FOCUSES_ON]->(x) WHERE r.name STARTS WITH 'SVP' RETURN type(e) AS t, count(*) AS n, count(DISTINCT x) AS targets ORDER BY t",
  "SELECT t, count(*), count(DISTINCT to_id) FROM (SELECT 'LEADS' t, from_id, to_id FROM LEADS UNION ALL SELECT 'WORKS_WITH', from_id, to_id FROM WORKS_WITH UNION ALL SELECT 'FOCUSES_ON', from_id, to_id FROM FOCUSES_ON) e JOIN Role r ON r.id=e.from_id WHERE starts_with(r.name,'SVP') GROUP BY t ORDER BY t"),
 ("S46", "MATCH (t:Team)<-[:WORKS_WITH]-(r:Role) WITH t, count(r) AS n RETURN min(n), max(n), avg(n)",
  "SELECT min(n), max(n), avg(n) FROM (SELECT to_id, count(*) n FROM WORKS_WITH GROUP BY to_id)"),
 ("S47", "MATCH (r:Role)-[:REPORTS_TO]->(m:Role) RETURN CASE WHEN m.name STARTS WITH 'Chief' THEN 'top' WHEN m.name STARTS WITH 'VP' OR m.name STARTS WITH 'SVP' THEN 'upper' ELSE 'other' END AS band, count(*) AS n ORDER BY band",
  "SELECT CASE WHEN starts_with(m.name,'Chief') THEN 'top' WHEN starts_with(m.name,'VP') OR starts_with(m.name,'SVP') THEN 'upper' ELSE 'other' END b, count(*) FROM REPORTS_TO e JOIN Role m ON m.id=e.to_id GROUP BY b ORDER BY b"),
 ("S48", "MATCH (s:Skill) WHERE reverse(s.id) STARTS WITH '7' RETURN count(s)",
  "SELECT count(*) FROM Skill WHERE starts_with(reverse(id),'7')"),
 ("S49", "MATCH (r:Role) WHERE r.name STARTS WITH 'Principal' RETURN split(r.name, ' ')[1] AS area, count(*) AS n ORDER BY n DESC, area LIMIT 3",
  "SELECT split_part(name,' ',2) a, count(*) n FROM Role WHERE starts_with(name,'Principal') GROUP BY a ORDER BY n DESC, a LIMIT 3"),
 ("S50", "MATCH (a:Role)-[:REPORTS_TO]->(m:Role) WHERE a.name ENDS WITH '5' AND m.name ENDS WITH '5' RETURN count(*)",
  "SELECT count(*) FROM REPORTS_TO e JOIN Role a ON a.id=e.from_id JOIN Role m ON m.id=e.to_id WHERE ends_with(a.name,'5') AND ends_with(m.name,'5')"),
 ("S51", "MATCH (r:Role)-[:REQUIRES]->(s:Skill) WHERE s.id IN ['skill1', 'skill2'] WITH r, count(s) AS k WHERE k = 2 RETURN count(r)",
  "SELECT count(*) FROM (SELECT from_id FROM REQUIRES WHERE to_id IN ('skill1','skill2') GROUP BY from_id HAVING count(*) = 2)"),
 ("S52", "MATCH (r:Role)-[:RESPONSIBLE_FOR]->(x:Responsibility) RETURN count(DISTINCT x.name)",
  "SELECT count(DISTINCT x.name) FROM RESPONSIBLE_FOR e JOIN Responsibility x ON x.id=e.to_id"),
 ("S53", "MATCH (r:Role) OPTIONAL MATCH (r)-[:COLLABORATES_WITH]->(o:Role) WHERE o.name STARTS WITH 'Chief' RETURN count(r), count(o)",
  "SELECT count(*), count(j.oid) FROM Role r LEFT JOIN (SELECT c.from_id rid, o.id oid FROM COLLABORATES_WITH c JOIN Role o ON o.id=c.to_id WHERE starts_with(o.name,'Chief')) j ON j.rid=r.id"),
 ("S54", "MATCH (s:Skill)<-[:REQUIRES]-(r:Role) WHERE r.id ENDS WITH '00' RETURN s.name, count(*) AS n ORDER BY n DESC, s.name LIMIT 5",
  "SELECT s.name, count(*) n FROM REQUIRES q JOIN Skill s ON s.id=q.to_id WHERE ends_with(q.from_id,'00') GROUP BY s.name ORDER BY n DESC, s.name LIMIT 5"),
]

def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "--duckdb":
        here = os.path.dirname(os.path.abspath(__file__))
        sys.path.insert(0, os.environ.get("BENCH_PEERS", os.path.join(here, "../../../shared/bench/peers")))
        from run_duckdb import load

        con = load(sys.argv[2])
        ours = json.load(open(sys.argv[3]))["queries"]
        slower = over = agree = n = 0
        for pid, cypher, sql in P:
            if sql is None or pid not in ours:
                continue
            times = []
            for _ in range(7):
                t = time.perf_counter()
                rows = con.execute(sql).fetchall()
                times.append((time.perf_counter() - t) * 1000)
            duck = statistics.median(times)
            mine = ours[pid]["median_ms"]
            same = json.dumps(ours[pid]["result"], default=str) == json.dumps([list(r) for r in rows], default=str)
            n += 1
            agree += same
            slower += mine > duck
            over += mine > 2 * duck
            print(f"{pid} rolegraph {mine:.3f} ms, duckdb {duck:.3f} ms, {mine / duck:.2f}x{'' if same else ' DIFFERENT'}")
        print(f"{n} queries, answers agree on {agree}; rolegraph slower on {slower}, over 2x on {over}")
        return
    json.dump([{"id": p, "title": p, "text": c, "ordered": True} for p, c, _ in P], sys.stdout, indent=1)


if __name__ == "__main__":
    main()

"""rolegraph's wider query set, beside the shared Q1-Q8 (../shared/bench/peers/queries.py).

Same structure as the shared file: each query has an id, a title, an openCypher
text (what rolegraph and Neo4j run), an SQL text for DuckDB, `ordered` when its
row order counts, and `adapted` rewrites for an engine lacking a feature (Kùzu
has no pattern predicates in WHERE: it gets the same condition as an
`EXISTS { MATCH ... }` subquery). Parameters are `$name`, inlined as literals
by the shared `render()`; the ids exist with the same meaning at every N >= 2000
(gen_org.py: r1..r10 is a reporting path down from the CEO, `skill1` is the most
popular skill, `focusK` are the ten foci).

The shapes are those people write against organisation and social graphs, after
the LDBC Social Network Benchmark's interactive and BI reads: friends and
friends of friends (collaborators), replies up a thread (reporting chains), top
tags in a country (top skills in a subtree), and so on. Every ORDER BY ends with
a unique key, so ordered results are the same in every engine. Kùzu does not
keep Cypher's rule that one MATCH uses a relationship once, so where that rule
would matter the query says what it means (`c.id <> b.id`, a WITH between two
MATCHes, DISTINCT ends of variable-length hops, where walk and trail agree).

    python queries_wide.py     # print the rendered Cypher, one query per line
"""

PARAMS = {"point": "r1234", "role": "r2", "a": "r4", "b": "r5", "deep": "r10",
          "manager": "r3", "needle": "Security", "skill": "skill7", "team": "team3",
          "focus": "focus1", "resp": "resp10"}

# Both directions of COLLABORATES_WITH, for SQL (Cypher's undirected hop).
COLLAB = "(SELECT from_id AS a, to_id AS b FROM COLLABORATES_WITH UNION ALL " \
         "SELECT to_id, from_id FROM COLLABORATES_WITH)"
ALL_OUT = "(" + " UNION ALL ".join(f"SELECT from_id, to_id FROM {t}" for t in (
    "RESPONSIBLE_FOR", "REQUIRES", "LEADS", "WORKS_WITH", "REPORTS_TO",
    "COLLABORATES_WITH", "FOCUSES_ON")) + ")"
# The reporting subtree under $manager / $a (every role below it, any depth).
SUB = ("WITH RECURSIVE sub(id) AS (SELECT from_id FROM REPORTS_TO WHERE to_id = {m} "
       "UNION ALL SELECT e.from_id FROM REPORTS_TO e JOIN sub ON e.to_id = sub.id) ")


def exists(cond):
    """Kùzu's spelling of a pattern predicate."""
    return "EXISTS { MATCH " + cond + " }"


WIDE = [
    # --- multi-part MATCH joined on a node -------------------------------------------
    {"id": "W01", "title": "two parts joined on a role",
     "cypher": "MATCH (r:Role)-[:REQUIRES]->(s:Skill), (r)-[:LEADS]->(t:Team) RETURN count(*)",
     "sql": "SELECT count(*) FROM REQUIRES a JOIN LEADS b ON a.from_id = b.from_id"},
    {"id": "W02", "title": "reports' foci (two parts, anchored)", "ordered": True,
     "cypher": "MATCH (m:Role {id: $manager})<-[:REPORTS_TO]-(r:Role), (r)-[:FOCUSES_ON]->(f:Focus) "
               "RETURN f.name, count(*) AS n ORDER BY n DESC, f.name",
     "sql": "SELECT f.name, count(*) AS n FROM REPORTS_TO e JOIN FOCUSES_ON o ON o.from_id = e.from_id "
            "JOIN Focus f ON f.id = o.to_id WHERE e.to_id = $manager GROUP BY f.name ORDER BY n DESC, f.name"},
    {"id": "W03", "title": "triangle: role and manager share a focus", "ordered": True,
     "cypher": "MATCH (r:Role)-[:REPORTS_TO]->(m:Role), (r)-[:FOCUSES_ON]->(f:Focus)<-[:FOCUSES_ON]-(m) "
               "RETURN f.name, count(*) AS n ORDER BY f.name",
     "sql": "SELECT f.name, count(*) AS n FROM REPORTS_TO e JOIN FOCUSES_ON a ON a.from_id = e.from_id "
            "JOIN FOCUSES_ON b ON b.from_id = e.to_id AND b.to_id = a.to_id JOIN Focus f ON f.id = a.to_id "
            "GROUP BY f.name ORDER BY f.name"},
    {"id": "W04", "title": "collaboration triangles",
     "cypher": "MATCH (a:Role)-[:COLLABORATES_WITH]->(b:Role)-[:COLLABORATES_WITH]->(c:Role)"
               "-[:COLLABORATES_WITH]->(a) RETURN count(*)",
     "sql": "SELECT count(*) FROM COLLABORATES_WITH x JOIN COLLABORATES_WITH y ON y.from_id = x.to_id "
            "JOIN COLLABORATES_WITH z ON z.from_id = y.to_id AND z.to_id = x.from_id"},
    # --- value joins -------------------------------------------------------------------
    {"id": "W05", "title": "value join: role and team names",
     "cypher": "MATCH (r:Role), (t:Team) WHERE r.name = t.name RETURN count(*)",
     "sql": "SELECT count(*) FROM Role r JOIN Team t ON r.name = t.name"},
    {"id": "W06", "title": "value join on ids: co-workers of a leader's team",
     "cypher": "MATCH (a:Role {id: $role})-[:LEADS]->(t:Team), (b:Role)-[:WORKS_WITH]->(u:Team) "
               "WHERE u.id = t.id RETURN count(DISTINCT b)",
     "sql": "SELECT count(DISTINCT w.from_id) FROM LEADS l JOIN WORKS_WITH w ON w.to_id = l.to_id "
            "WHERE l.from_id = $role"},
    {"id": "W07", "title": "value join: skills named like a skill",
     "cypher": "MATCH (a:Skill {id: $skill}), (s:Skill) WHERE s.name = a.name RETURN s.id",
     "sql": "SELECT s.id FROM Skill a JOIN Skill s ON s.name = a.name WHERE a.id = $skill"},
    # --- OPTIONAL MATCH ----------------------------------------------------------------
    {"id": "W08", "title": "optional: direct reports of each report", "ordered": True,
     "cypher": "MATCH (m:Role {id: $manager})<-[:REPORTS_TO]-(r:Role) OPTIONAL MATCH (r)<-[:REPORTS_TO]-(d:Role) "
               "RETURN r.id, count(d) AS reports ORDER BY reports DESC, r.id",
     "sql": "SELECT e.from_id, count(d.from_id) AS reports FROM REPORTS_TO e "
            "LEFT JOIN REPORTS_TO d ON d.to_id = e.from_id WHERE e.to_id = $manager "
            "GROUP BY e.from_id ORDER BY reports DESC, e.from_id"},
    {"id": "W09", "title": "optional: span-of-control histogram", "ordered": True,
     "cypher": "MATCH (r:Role) OPTIONAL MATCH (r)<-[:REPORTS_TO]-(d:Role) WITH r, count(d) AS reports "
               "RETURN reports, count(*) AS roles ORDER BY reports",
     "sql": "SELECT reports, count(*) AS roles FROM (SELECT r.id, count(d.from_id) AS reports FROM Role r "
            "LEFT JOIN REPORTS_TO d ON d.to_id = r.id GROUP BY r.id) GROUP BY reports ORDER BY reports"},
    {"id": "W10", "title": "optional: teams with few leaders",
     "cypher": "MATCH (t:Team) OPTIONAL MATCH (t)<-[:LEADS]-(r:Role) WITH t, count(r) AS leaders "
               "WHERE leaders < 45 RETURN count(t)",
     "sql": "SELECT count(*) FROM (SELECT t.id, count(l.from_id) AS leaders FROM Team t "
            "LEFT JOIN LEADS l ON l.to_id = t.id GROUP BY t.id) WHERE leaders < 45"},
    # --- NOT / EXISTS pattern predicates ------------------------------------------------
    {"id": "W11", "title": "anti: roles with no reports",
     "cypher": "MATCH (r:Role) WHERE NOT (r)<-[:REPORTS_TO]-() RETURN count(r)",
     "sql": "SELECT count(*) FROM Role r WHERE NOT EXISTS (SELECT 1 FROM REPORTS_TO e WHERE e.to_id = r.id)",
     "adapted": {"kuzu": "MATCH (r:Role) WHERE NOT " + exists("(r)<-[:REPORTS_TO]-(:Role)") + " RETURN count(r)"}},
    {"id": "W12", "title": "semi: leads a team the manager works with",
     "cypher": "MATCH (r:Role)-[:REPORTS_TO]->(m:Role), (r)-[:LEADS]->(t:Team) "
               "WHERE (m)-[:WORKS_WITH]->(t) RETURN count(*)",
     "sql": "SELECT count(*) FROM REPORTS_TO e JOIN LEADS l ON l.from_id = e.from_id "
            "WHERE EXISTS (SELECT 1 FROM WORKS_WITH w WHERE w.from_id = e.to_id AND w.to_id = l.to_id)",
     "adapted": {"kuzu": "MATCH (r:Role)-[:REPORTS_TO]->(m:Role), (r)-[:LEADS]->(t:Team) WHERE "
                 + exists("(m)-[:WORKS_WITH]->(t)") + " RETURN count(*)"}},
    {"id": "W13", "title": "anti: a skill's roles without a focus",
     "cypher": "MATCH (r:Role)-[:REQUIRES]->(s:Skill {id: $skill}) "
               "WHERE NOT (r)-[:FOCUSES_ON]->(:Focus {id: $focus}) RETURN count(r)",
     "sql": "SELECT count(*) FROM REQUIRES e WHERE e.to_id = $skill AND NOT EXISTS "
            "(SELECT 1 FROM FOCUSES_ON f WHERE f.from_id = e.from_id AND f.to_id = $focus)",
     "adapted": {"kuzu": "MATCH (r:Role)-[:REQUIRES]->(s:Skill {id: $skill}) WHERE NOT "
                 + exists("(r)-[:FOCUSES_ON]->(:Focus {id: $focus})") + " RETURN count(r)"}},
    {"id": "W14", "title": "anti: collaborators' skills I lack (IC-like)", "ordered": True,
     "cypher": "MATCH (a:Role {id: $point})-[:COLLABORATES_WITH]-(b:Role)-[:REQUIRES]->(s:Skill) "
               "WHERE NOT (a)-[:REQUIRES]->(s) RETURN s.id, count(*) AS n ORDER BY n DESC, s.id LIMIT 10",
     "sql": f"SELECT r.to_id, count(*) AS n FROM {COLLAB} c JOIN REQUIRES r ON r.from_id = c.b "
            "WHERE c.a = $point AND NOT EXISTS (SELECT 1 FROM REQUIRES m WHERE m.from_id = $point "
            "AND m.to_id = r.to_id) GROUP BY r.to_id ORDER BY n DESC, r.to_id LIMIT 10",
     "adapted": {"kuzu": "MATCH (a:Role {id: $point})-[:COLLABORATES_WITH]-(b:Role)-[:REQUIRES]->(s:Skill) "
                 "WHERE NOT " + exists("(a)-[:REQUIRES]->(s)")
                 + " RETURN s.id, count(*) AS n ORDER BY n DESC, s.id LIMIT 10"}},
    {"id": "W15", "title": "semi: skills with a role, by prefix",
     "cypher": "MATCH (s:Skill) WHERE s.name STARTS WITH 'Data' AND (s)<-[:REQUIRES]-(:Role) RETURN count(s)",
     "sql": "SELECT count(*) FROM Skill s WHERE starts_with(s.name, 'Data') AND EXISTS "
            "(SELECT 1 FROM REQUIRES e WHERE e.to_id = s.id)",
     "adapted": {"kuzu": "MATCH (s:Skill) WHERE s.name STARTS WITH 'Data' AND "
                 + exists("(s)<-[:REQUIRES]-(:Role)") + " RETURN count(s)"}},
    # --- variable length: fixed, bounded, unbounded, undirected -------------------------
    {"id": "W16", "title": "fixed *2: skip-level reports",
     "cypher": "MATCH (m:Role {id: $manager})<-[:REPORTS_TO*2]-(x:Role) RETURN count(x)",
     "sql": "SELECT count(*) FROM REPORTS_TO a JOIN REPORTS_TO b ON b.to_id = a.from_id WHERE a.to_id = $manager"},
    {"id": "W17", "title": "bounded *1..3 up the chain", "ordered": True,
     "cypher": "MATCH (r:Role {id: $deep})-[:REPORTS_TO*1..3]->(m:Role) RETURN m.id ORDER BY m.id",
     "sql": "WITH RECURSIVE up(id, d) AS (SELECT $deep, 0 UNION ALL SELECT e.to_id, up.d + 1 FROM up "
            "JOIN REPORTS_TO e ON e.from_id = up.id WHERE up.d < 3) SELECT id FROM up WHERE d >= 1 ORDER BY id"},
    {"id": "W18", "title": "bounded *1..2 down from the CEO",
     "cypher": "MATCH (c:Role {id: 'ceo'})<-[:REPORTS_TO*1..2]-(x:Role) RETURN count(x)",
     "sql": "SELECT (SELECT count(*) FROM REPORTS_TO WHERE to_id = 'ceo') + (SELECT count(*) FROM REPORTS_TO a "
            "JOIN REPORTS_TO b ON b.to_id = a.from_id WHERE a.to_id = 'ceo')"},
    {"id": "W19", "title": "unbounded: chain of command", "ordered": True,
     "cypher": "MATCH (r:Role {id: $point})-[:REPORTS_TO*]->(m:Role) RETURN m.id ORDER BY m.id",
     "sql": "WITH RECURSIVE up(id) AS (SELECT to_id FROM REPORTS_TO WHERE from_id = $point UNION ALL "
            "SELECT e.to_id FROM up JOIN REPORTS_TO e ON e.from_id = up.id) SELECT id FROM up ORDER BY id"},
    {"id": "W20", "title": "unbounded: foci across a subtree", "ordered": True,
     "cypher": "MATCH (m:Role {id: $a})<-[:REPORTS_TO*]-(x:Role)-[:FOCUSES_ON]->(f:Focus) "
               "RETURN f.name, count(*) AS n ORDER BY n DESC, f.name",
     "sql": SUB.format(m="$a") + "SELECT f.name, count(*) AS n FROM sub JOIN FOCUSES_ON o ON o.from_id = sub.id "
            "JOIN Focus f ON f.id = o.to_id GROUP BY f.name ORDER BY n DESC, f.name"},
    {"id": "W21", "title": "unbounded + CONTAINS on reached roles",
     "cypher": "MATCH (m:Role {id: $manager})<-[:REPORTS_TO*]-(r:Role) WHERE r.name CONTAINS 'Data' RETURN count(r)",
     "sql": SUB.format(m="$manager") + "SELECT count(*) FROM sub JOIN Role r ON r.id = sub.id "
            "WHERE contains(r.name, 'Data')"},
    {"id": "W22", "title": "undirected *1..2: collaboration circle",
     "cypher": "MATCH (a:Role {id: $point})-[:COLLABORATES_WITH*1..2]-(b:Role) WHERE b.id <> $point "
               "RETURN count(DISTINCT b)",
     "sql": f"WITH c AS {COLLAB} SELECT count(DISTINCT x) FROM (SELECT b AS x FROM c WHERE a = $point "
            "UNION ALL SELECT c2.b FROM c c1 JOIN c c2 ON c2.a = c1.b WHERE c1.a = $point) WHERE x <> $point"},
    # --- undirected hops ---------------------------------------------------------------
    {"id": "W23", "title": "undirected: collaborators", "ordered": True,
     "cypher": "MATCH (a:Role {id: $point})-[:COLLABORATES_WITH]-(b:Role) RETURN b.id, b.name ORDER BY b.id",
     "sql": f"SELECT r.id, r.name FROM {COLLAB} c JOIN Role r ON r.id = c.b WHERE c.a = $point ORDER BY r.id"},
    {"id": "W24", "title": "undirected 2-hop: friends of friends",
     "cypher": "MATCH (a:Role {id: $role})-[:COLLABORATES_WITH]-(b:Role)-[:COLLABORATES_WITH]-(c:Role) "
               "WHERE c.id <> $role RETURN count(DISTINCT c)",
     "sql": f"WITH c AS {COLLAB} SELECT count(DISTINCT c2.b) FROM c c1 JOIN c c2 ON c2.a = c1.b "
            "WHERE c1.a = $role AND c2.b <> $role"},
    {"id": "W25", "title": "top-k: most collaborative roles", "ordered": True,
     "cypher": "MATCH (r:Role)-[:COLLABORATES_WITH]-(o:Role) RETURN r.id, count(o) AS n ORDER BY n DESC, r.id LIMIT 10",
     "sql": f"SELECT a, count(*) AS n FROM {COLLAB} GROUP BY a ORDER BY n DESC, a LIMIT 10"},
    # --- top-k over groups -------------------------------------------------------------
    {"id": "W26", "title": "top-k: teams by members", "ordered": True,
     "cypher": "MATCH (r:Role)-[:WORKS_WITH]->(t:Team) RETURN t.name, count(r) AS n ORDER BY n DESC, t.name LIMIT 5",
     "sql": "SELECT t.name, count(*) AS n FROM WORKS_WITH w JOIN Team t ON t.id = w.to_id "
            "GROUP BY t.name ORDER BY n DESC, t.name LIMIT 5"},
    {"id": "W27", "title": "top-k: widest span of control", "ordered": True,
     "cypher": "MATCH (m:Role)<-[:REPORTS_TO]-(r:Role) RETURN m.id, count(r) AS reports "
               "ORDER BY reports DESC, m.id LIMIT 10",
     "sql": "SELECT to_id, count(*) AS reports FROM REPORTS_TO GROUP BY to_id ORDER BY reports DESC, to_id LIMIT 10"},
    {"id": "W28", "title": "top-k: skills in a subtree (BI-like)", "ordered": True,
     "cypher": "MATCH (m:Role {id: $manager})<-[:REPORTS_TO*]-(r:Role)-[:REQUIRES]->(s:Skill) "
               "RETURN s.name, count(*) AS n ORDER BY n DESC, s.name LIMIT 10",
     "sql": SUB.format(m="$manager") + "SELECT s.name, count(*) AS n FROM sub JOIN REQUIRES e ON e.from_id = sub.id "
            "JOIN Skill s ON s.id = e.to_id GROUP BY s.name ORDER BY n DESC, s.name LIMIT 10"},
    {"id": "W29", "title": "top-k: responsibilities of a focus", "ordered": True,
     "cypher": "MATCH (f:Focus {id: $focus})<-[:FOCUSES_ON]-(r:Role)-[:RESPONSIBLE_FOR]->(x:Responsibility) "
               "RETURN x.id, count(r) AS n ORDER BY n DESC, x.id LIMIT 10",
     "sql": "SELECT e.to_id, count(*) AS n FROM FOCUSES_ON f JOIN RESPONSIBLE_FOR e ON e.from_id = f.from_id "
            "WHERE f.to_id = $focus GROUP BY e.to_id ORDER BY n DESC, e.to_id LIMIT 10"},
    # --- filters on every label: prefix, suffix, contains, equality, range ---------------
    {"id": "W30", "title": "Role: prefix and suffix",
     "cypher": "MATCH (r:Role) WHERE r.name STARTS WITH 'Director' AND r.name ENDS WITH '7' RETURN count(r)",
     "sql": "SELECT count(*) FROM Role WHERE starts_with(name, 'Director') AND ends_with(name, '7')"},
    {"id": "W31", "title": "Role: name range",
     "cypher": "MATCH (r:Role) WHERE r.name >= 'Lead' AND r.name < 'Manager' RETURN count(r)",
     "sql": "SELECT count(*) FROM Role WHERE name >= 'Lead' AND name < 'Manager'"},
    {"id": "W32", "title": "Role: name equality",
     "cypher": "MATCH (r:Role) WHERE r.name = 'Chief Executive Officer' RETURN r.id",
     "sql": "SELECT id FROM Role WHERE name = 'Chief Executive Officer'"},
    {"id": "W33", "title": "Role: id range",
     "cypher": "MATCH (r:Role) WHERE r.id >= 'r500' AND r.id < 'r51' RETURN count(r)",
     "sql": "SELECT count(*) FROM Role WHERE id >= 'r500' AND id < 'r51'"},
    {"id": "W34", "title": "Responsibility: prefix",
     "cypher": "MATCH (x:Responsibility) WHERE x.name STARTS WITH $needle RETURN count(x)",
     "sql": "SELECT count(*) FROM Responsibility WHERE starts_with(name, $needle)"},
    {"id": "W35", "title": "Responsibility: contains and suffix",
     "cypher": "MATCH (x:Responsibility) WHERE x.name CONTAINS 'budget' AND x.id ENDS WITH '3' RETURN count(x)",
     "sql": "SELECT count(*) FROM Responsibility WHERE contains(name, 'budget') AND ends_with(id, '3')"},
    {"id": "W36", "title": "Responsibility: id range, roles owning",
     "cypher": "MATCH (x:Responsibility)<-[:RESPONSIBLE_FOR]-(r:Role) WHERE x.id >= 'resp100' AND x.id <= 'resp199' "
               "RETURN count(*)",
     "sql": "SELECT count(*) FROM RESPONSIBLE_FOR WHERE to_id >= 'resp100' AND to_id <= 'resp199'"},
    {"id": "W37", "title": "Responsibility: name equality (value join)",
     "cypher": "MATCH (a:Responsibility {id: $resp}), (x:Responsibility) WHERE x.name = a.name RETURN count(x)",
     "sql": "SELECT count(*) FROM Responsibility a JOIN Responsibility x ON x.name = a.name WHERE a.id = $resp"},
    {"id": "W38", "title": "Skill: suffix",
     "cypher": "MATCH (s:Skill) WHERE s.name ENDS WITH '42' RETURN count(s)",
     "sql": "SELECT count(*) FROM Skill WHERE ends_with(name, '42')"},
    {"id": "W39", "title": "Skill: contains, roles requiring", "ordered": True,
     "cypher": "MATCH (s:Skill)<-[:REQUIRES]-(r:Role) WHERE s.name CONTAINS 'Cloud' "
               "RETURN s.name, count(r) AS n ORDER BY n DESC, s.name LIMIT 5",
     "sql": "SELECT s.name, count(*) AS n FROM Skill s JOIN REQUIRES e ON e.to_id = s.id "
            "WHERE contains(s.name, 'Cloud') GROUP BY s.name ORDER BY n DESC, s.name LIMIT 5"},
    {"id": "W40", "title": "Skill: name range",
     "cypher": "MATCH (s:Skill) WHERE s.name > 'P' AND s.name < 'S' RETURN count(s)",
     "sql": "SELECT count(*) FROM Skill WHERE name > 'P' AND name < 'S'"},
    {"id": "W41", "title": "Team: prefix, leaders", "ordered": True,
     "cypher": "MATCH (t:Team)<-[:LEADS]-(r:Role) WHERE t.name STARTS WITH 'Security' "
               "RETURN t.id, count(r) AS n ORDER BY n DESC, t.id LIMIT 5",
     "sql": "SELECT t.id, count(*) AS n FROM Team t JOIN LEADS l ON l.to_id = t.id "
            "WHERE starts_with(t.name, 'Security') GROUP BY t.id ORDER BY n DESC, t.id LIMIT 5"},
    {"id": "W42", "title": "Team: suffix and contains",
     "cypher": "MATCH (t:Team) WHERE t.name CONTAINS 'team 1' AND t.name ENDS WITH '5' RETURN count(t)",
     "sql": "SELECT count(*) FROM Team WHERE contains(name, 'team 1') AND ends_with(name, '5')"},
    {"id": "W43", "title": "Team: range and equality",
     "cypher": "MATCH (t:Team) WHERE t.name >= 'Data' AND t.name < 'Design' OR t.id = $team RETURN count(t)",
     "sql": "SELECT count(*) FROM Team WHERE name >= 'Data' AND name < 'Design' OR id = $team"},
    {"id": "W44", "title": "Focus: equality, roles",
     "cypher": "MATCH (f:Focus {name: 'growth'})<-[:FOCUSES_ON]-(r:Role) RETURN count(r)",
     "sql": "SELECT count(*) FROM Focus f JOIN FOCUSES_ON o ON o.to_id = f.id WHERE f.name = 'growth'"},
    {"id": "W45", "title": "Focus: prefix, suffix, contains, range", "ordered": True,
     "cypher": "MATCH (f:Focus)<-[:FOCUSES_ON]-(r:Role) WHERE f.name STARTS WITH 'long' OR f.name ENDS WITH 'line' "
               "OR f.name CONTAINS 'tech' OR f.name >= 'in' AND f.name < 'io' "
               "RETURN f.name, count(r) AS n ORDER BY f.name",
     "sql": "SELECT f.name, count(*) AS n FROM Focus f JOIN FOCUSES_ON o ON o.to_id = f.id "
            "WHERE starts_with(f.name, 'long') OR ends_with(f.name, 'line') OR contains(f.name, 'tech') "
            "OR f.name >= 'in' AND f.name < 'io' GROUP BY f.name ORDER BY f.name"},
    # --- ORDER BY with SKIP/LIMIT pagination ----------------------------------------------
    {"id": "W46", "title": "page: roles by name", "ordered": True,
     "cypher": "MATCH (r:Role) WHERE r.name STARTS WITH 'Senior Manager' "
               "RETURN r.id, r.name ORDER BY r.name, r.id SKIP 20 LIMIT 10",
     "sql": "SELECT id, name FROM Role WHERE starts_with(name, 'Senior Manager') "
            "ORDER BY name, id LIMIT 10 OFFSET 20"},
    {"id": "W47", "title": "page 3: skills by popularity", "ordered": True,
     "cypher": "MATCH (s:Skill)<-[:REQUIRES]-(r:Role) RETURN s.id, count(r) AS n ORDER BY n DESC, s.id SKIP 20 LIMIT 10",
     "sql": "SELECT to_id, count(*) AS n FROM REQUIRES GROUP BY to_id ORDER BY n DESC, to_id LIMIT 10 OFFSET 20"},
    {"id": "W48", "title": "first roles by name (sort a label)", "ordered": True,
     "cypher": "MATCH (r:Role) RETURN r.id, r.name ORDER BY r.name, r.id LIMIT 10",
     "sql": "SELECT id, name FROM Role ORDER BY name, id LIMIT 10"},
    {"id": "W49", "title": "deep page: teams by name desc", "ordered": True,
     "cypher": "MATCH (t:Team) RETURN t.id ORDER BY t.name DESC, t.id SKIP 100 LIMIT 5",
     "sql": "SELECT id FROM Team ORDER BY name DESC, id LIMIT 5 OFFSET 100"},
    # --- WITH pipelines ------------------------------------------------------------------
    {"id": "W50", "title": "WITH: teams led by big managers", "ordered": True,
     "cypher": "MATCH (m:Role)<-[:REPORTS_TO]-(r:Role) WITH m, count(r) AS reports WHERE reports >= 9 "
               "MATCH (m)-[:LEADS]->(t:Team) RETURN t.name, count(m) AS managers ORDER BY managers DESC, t.name LIMIT 10",
     "sql": "SELECT t.name, count(*) AS managers FROM (SELECT to_id FROM REPORTS_TO GROUP BY to_id "
            "HAVING count(*) >= 9) m JOIN LEADS l ON l.from_id = m.to_id JOIN Team t ON t.id = l.to_id "
            "GROUP BY t.name ORDER BY managers DESC, t.name LIMIT 10"},
    {"id": "W51", "title": "WITH DISTINCT: collaborators' skills", "ordered": True,
     "cypher": "MATCH (a:Role {id: $point})-[:COLLABORATES_WITH]-(b:Role) WITH DISTINCT b "
               "MATCH (b)-[:REQUIRES]->(s:Skill) RETURN s.name, count(*) AS n ORDER BY n DESC, s.name LIMIT 5",
     "sql": f"SELECT s.name, count(*) AS n FROM (SELECT DISTINCT b FROM {COLLAB} WHERE a = $point) c "
            "JOIN REQUIRES e ON e.from_id = c.b JOIN Skill s ON s.id = e.to_id "
            "GROUP BY s.name ORDER BY n DESC, s.name LIMIT 5"},
    {"id": "W52", "title": "WITH top-k then expand", "ordered": True,
     "cypher": "MATCH (t:Team)<-[:LEADS]-(r:Role) WITH t, count(r) AS leaders ORDER BY leaders DESC, t.id LIMIT 5 "
               "MATCH (t)<-[:WORKS_WITH]-(w:Role) RETURN t.id, leaders, count(w) AS workers ORDER BY leaders DESC, t.id",
     "sql": "SELECT t.id, t.leaders, count(*) AS workers FROM (SELECT to_id AS id, count(*) AS leaders FROM LEADS "
            "GROUP BY to_id ORDER BY leaders DESC, id LIMIT 5) t JOIN WORKS_WITH w ON w.to_id = t.id "
            "GROUP BY t.id, t.leaders ORDER BY t.leaders DESC, t.id"},
    # --- collect / UNWIND ---------------------------------------------------------------
    {"id": "W53", "title": "collect, UNWIND, expand again",
     "cypher": "MATCH (r:Role {id: $role})-[:REQUIRES]->(s:Skill) WITH collect(s) AS skills "
               "UNWIND skills AS s MATCH (s)<-[:REQUIRES]-(o:Role) RETURN count(DISTINCT o)",
     "sql": "SELECT count(DISTINCT o.from_id) FROM REQUIRES e JOIN REQUIRES o ON o.to_id = e.to_id "
            "WHERE e.from_id = $role"},
    {"id": "W54", "title": "UNWIND a list of ids", "ordered": True,
     "cypher": "UNWIND ['r2', 'r3', 'r4', 'r5', 'r1234'] AS rid MATCH (r:Role {id: rid})-[:LEADS]->(t:Team) "
               "RETURN rid, t.id ORDER BY rid",
     "sql": "SELECT l.from_id, l.to_id FROM (VALUES ('r2'), ('r3'), ('r4'), ('r5'), ('r1234')) v(rid) "
            "JOIN LEADS l ON l.from_id = v.rid ORDER BY l.from_id"},
    {"id": "W55", "title": "collect DISTINCT per focus", "ordered": True,
     "cypher": "MATCH (r:Role)-[:FOCUSES_ON]->(f:Focus) WITH f, collect(DISTINCT r.name) AS names "
               "RETURN f.name, size(names) AS n ORDER BY f.name",
     "sql": "SELECT f.name, count(DISTINCT r.name) AS n FROM FOCUSES_ON o JOIN Focus f ON f.id = o.to_id "
            "JOIN Role r ON r.id = o.from_id GROUP BY f.name ORDER BY f.name"},
    # --- DISTINCT ------------------------------------------------------------------------
    {"id": "W56", "title": "DISTINCT teams led in a subtree", "ordered": True,
     "cypher": "MATCH (m:Role {id: $manager})<-[:REPORTS_TO*]-(r:Role)-[:LEADS]->(t:Team) "
               "RETURN DISTINCT t.id ORDER BY t.id LIMIT 20",
     "sql": SUB.format(m="$manager") + "SELECT DISTINCT l.to_id FROM sub JOIN LEADS l ON l.from_id = sub.id "
            "ORDER BY l.to_id LIMIT 20"},
    {"id": "W57", "title": "count DISTINCT led teams",
     "cypher": "MATCH (r:Role)-[:LEADS]->(t:Team) RETURN count(DISTINCT t)",
     "sql": "SELECT count(DISTINCT to_id) FROM LEADS"},
    {"id": "W58", "title": "DISTINCT co-owners of responsibilities", "ordered": True,
     "cypher": "MATCH (a:Role {id: $role})-[:RESPONSIBLE_FOR]->(x:Responsibility)<-[:RESPONSIBLE_FOR]-(o:Role) "
               "WHERE o.id <> $role RETURN DISTINCT o.id ORDER BY o.id LIMIT 10",
     "sql": "SELECT DISTINCT b.from_id FROM RESPONSIBLE_FOR a JOIN RESPONSIBLE_FOR b ON b.to_id = a.to_id "
            "WHERE a.from_id = $role AND b.from_id <> $role ORDER BY b.from_id LIMIT 10"},
    # --- 2- and 3-hop counts ---------------------------------------------------------------
    {"id": "W59", "title": "2-hop count: grand-manager pairs",
     "cypher": "MATCH (a:Role)-[:REPORTS_TO]->(b:Role)-[:REPORTS_TO]->(c:Role) RETURN count(*)",
     "sql": "SELECT count(*) FROM REPORTS_TO x JOIN REPORTS_TO y ON y.from_id = x.to_id"},
    {"id": "W60", "title": "2-hop count: team co-workers",
     "cypher": "MATCH (a:Role {id: $a})-[:WORKS_WITH]->(t:Team)<-[:WORKS_WITH]-(b:Role) WHERE b.id <> $a "
               "RETURN count(DISTINCT b)",
     "sql": "SELECT count(DISTINCT y.from_id) FROM WORKS_WITH x JOIN WORKS_WITH y ON y.to_id = x.to_id "
            "WHERE x.from_id = $a AND y.from_id <> $a"},
    {"id": "W61", "title": "3-hop count: reports' reports' teams",
     "cypher": "MATCH (m:Role {id: $manager})<-[:REPORTS_TO]-(b:Role)<-[:REPORTS_TO]-(c:Role)-[:LEADS]->(t:Team) "
               "RETURN count(*)",
     "sql": "SELECT count(*) FROM REPORTS_TO x JOIN REPORTS_TO y ON y.to_id = x.from_id "
            "JOIN LEADS l ON l.from_id = y.from_id WHERE x.to_id = $manager"},
    {"id": "W62", "title": "3-hop count: collaborators' skill peers",
     "cypher": "MATCH (a:Role {id: $point})-[:COLLABORATES_WITH]->(b:Role)-[:REQUIRES]->(s:Skill)<-[:REQUIRES]-(c:Role) "
               "WHERE c.id <> b.id RETURN count(*)",
     "sql": "SELECT count(*) FROM COLLABORATES_WITH x JOIN REQUIRES y ON y.from_id = x.to_id "
            "JOIN REQUIRES z ON z.to_id = y.to_id AND z.from_id <> y.from_id WHERE x.from_id = $point"},
    # --- aggregates over several relationship types -------------------------------------------
    {"id": "W63", "title": "several types: LEADS|WORKS_WITH top teams", "ordered": True,
     "cypher": "MATCH (r:Role)-[:LEADS|WORKS_WITH]->(t:Team) RETURN t.id, count(*) AS n ORDER BY n DESC, t.id LIMIT 5",
     "sql": "SELECT to_id, count(*) AS n FROM (SELECT to_id FROM LEADS UNION ALL SELECT to_id FROM WORKS_WITH) "
            "GROUP BY to_id ORDER BY n DESC, to_id LIMIT 5"},
    {"id": "W64", "title": "several types: a role's profile",
     "cypher": "MATCH (r:Role {id: $manager}) OPTIONAL MATCH (r)-[:REQUIRES]->(s:Skill) WITH r, count(s) AS skills "
               "OPTIONAL MATCH (r)<-[:REPORTS_TO]-(d:Role) WITH r, skills, count(d) AS reports "
               "OPTIONAL MATCH (r)-[:RESPONSIBLE_FOR]->(x:Responsibility) RETURN skills, reports, count(x) AS resps",
     "sql": "SELECT (SELECT count(*) FROM REQUIRES WHERE from_id = $manager), "
            "(SELECT count(*) FROM REPORTS_TO WHERE to_id = $manager), "
            "(SELECT count(*) FROM RESPONSIBLE_FOR WHERE from_id = $manager)"},
    {"id": "W65", "title": "any type: out-degree of a subtree",
     "cypher": "MATCH (m:Role {id: $a})<-[:REPORTS_TO*]-(r:Role) WITH DISTINCT r MATCH (r)-[e]->() RETURN count(e)",
     "sql": SUB.format(m="$a") + f"SELECT count(*) FROM sub JOIN {ALL_OUT} e ON e.from_id = sub.id"},
    {"id": "W66", "title": "several types: team ties per role prefix",
     "cypher": "MATCH (r:Role)-[:LEADS|WORKS_WITH|REQUIRES]->(n) WHERE r.id STARTS WITH 'r12' RETURN count(*)",
     "sql": "SELECT count(*) FROM (SELECT from_id FROM LEADS UNION ALL SELECT from_id FROM WORKS_WITH "
            "UNION ALL SELECT from_id FROM REQUIRES) WHERE starts_with(from_id, 'r12')"},
]


if __name__ == "__main__":
    import os
    import sys
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from harness import install
    q = install("wide")
    for x in q.QUERIES:
        print(q.cypher(x)[0] + ";")

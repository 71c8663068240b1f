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

W01-W66 are the shapes themselves; W67-W143 vary them: other labels, types and
directions, OPTIONAL MATCH chains, several aggregates in one row, WITH + WHERE on
aggregates, UNWIND of collected lists, DISTINCT over pairs, deep SKIP, variable length
with filters on the reached nodes, EXISTS subqueries, IN lists, mixed ORDER BY keys.
Kùzu 0.11.3 answers 0 for a plain count() written after a count(DISTINCT ...) in the
same RETURN, so such rows list the plain count first.

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

    # ===== W67-W143: variants of the shapes above =====
    # --- multi-part MATCH joined on a node ------------------------------------------------
    {"id": "W67", "title": "two parts joined on a team",
     "cypher": "MATCH (a:Role)-[:LEADS]->(t:Team), (b:Role)-[:WORKS_WITH]->(t) WHERE a.id STARTS WITH 'r12' "
               "RETURN count(*)",
     "sql": "SELECT count(*) FROM LEADS l JOIN WORKS_WITH w ON w.to_id = l.to_id WHERE starts_with(l.from_id, 'r12')"},
    {"id": "W68", "title": "two parts on a role, top (focus, team) pairs", "ordered": True,
     "cypher": "MATCH (r:Role)-[:FOCUSES_ON]->(f:Focus), (r)-[:LEADS]->(t:Team) "
               "RETURN f.name, t.id, count(*) AS n ORDER BY n DESC, f.name, t.id LIMIT 10",
     "sql": "SELECT f.name, l.to_id, count(*) AS n FROM FOCUSES_ON o JOIN Focus f ON f.id = o.to_id "
            "JOIN LEADS l ON l.from_id = o.from_id GROUP BY f.name, l.to_id ORDER BY n DESC, f.name, l.to_id LIMIT 10"},
    {"id": "W69", "title": "responsibilities of a skill's roles", "ordered": True,
     "cypher": "MATCH (x:Responsibility)<-[:RESPONSIBLE_FOR]-(r:Role)-[:REQUIRES]->(s:Skill {id: $skill}) "
               "RETURN x.id, count(*) AS n ORDER BY n DESC, x.id LIMIT 10",
     "sql": "SELECT e.to_id, count(*) AS n FROM REQUIRES q JOIN RESPONSIBLE_FOR e ON e.from_id = q.from_id "
            "WHERE q.to_id = $skill GROUP BY e.to_id ORDER BY n DESC, e.to_id LIMIT 10"},
    {"id": "W70", "title": "three parts: reports' focus and team", "ordered": True,
     "cypher": "MATCH (r:Role)-[:REPORTS_TO]->(m:Role {id: $role}), (r)-[:FOCUSES_ON]->(f:Focus), "
               "(r)-[:WORKS_WITH]->(t:Team) RETURN f.name, count(DISTINCT t) AS teams ORDER BY teams DESC, f.name",
     "sql": "SELECT f.name, count(DISTINCT w.to_id) AS teams FROM REPORTS_TO e JOIN FOCUSES_ON o ON o.from_id = e.from_id "
            "JOIN Focus f ON f.id = o.to_id JOIN WORKS_WITH w ON w.from_id = e.from_id WHERE e.to_id = $role "
            "GROUP BY f.name ORDER BY teams DESC, f.name"},
    # --- value joins ------------------------------------------------------------------------
    {"id": "W71", "title": "value join on ids: works with the manager's team",
     "cypher": "MATCH (r:Role)-[:WORKS_WITH]->(t:Team), (r)-[:REPORTS_TO]->(m:Role)-[:LEADS]->(u:Team) "
               "WHERE t.id = u.id RETURN count(*)",
     "sql": "SELECT count(*) FROM WORKS_WITH w JOIN REPORTS_TO e ON e.from_id = w.from_id "
            "JOIN LEADS l ON l.from_id = e.to_id AND l.to_id = w.to_id"},
    {"id": "W72", "title": "value join on an expression: skill and team areas",
     "cypher": "MATCH (s:Skill), (t:Team) WHERE left(s.name, 5) = left(t.name, 5) RETURN count(*)",
     "sql": "SELECT count(*) FROM Skill s JOIN Team t ON left(s.name, 5) = left(t.name, 5)"},
    {"id": "W73", "title": "value join on two keys: collaborates with own manager",
     "cypher": "MATCH (a:Role)-[:COLLABORATES_WITH]->(b:Role), (c:Role)-[:REPORTS_TO]->(d:Role) "
               "WHERE a.id = c.id AND b.id = d.id RETURN count(*)",
     "sql": "SELECT count(*) FROM COLLABORATES_WITH x JOIN REPORTS_TO e ON e.from_id = x.from_id AND e.to_id = x.to_id"},
    {"id": "W74", "title": "value join inside OPTIONAL MATCH",
     "cypher": "MATCH (r:Role {id: $role})-[:LEADS]->(t:Team) OPTIONAL MATCH (o:Role)-[:WORKS_WITH]->(u:Team) "
               "WHERE u.id = t.id RETURN t.id, count(o) AS workers",
     "sql": "SELECT l.to_id, count(w.from_id) FROM LEADS l LEFT JOIN WORKS_WITH w ON w.to_id = l.to_id "
            "WHERE l.from_id = $role GROUP BY l.to_id"},
    # --- OPTIONAL MATCH -------------------------------------------------------------------
    {"id": "W75", "title": "optional chain: reports, theirs, their teams", "ordered": True,
     "cypher": "MATCH (m:Role {id: $manager})<-[:REPORTS_TO]-(r:Role) OPTIONAL MATCH (r)<-[:REPORTS_TO]-(d:Role) "
               "OPTIONAL MATCH (d)-[:LEADS]->(t:Team) WHERE t.name STARTS WITH 'S' "
               "RETURN r.id, count(t) AS teams, count(DISTINCT d) AS reports ORDER BY r.id",
     "sql": "SELECT e.from_id, count(lt.to_id), count(DISTINCT d.from_id) FROM REPORTS_TO e "
            "LEFT JOIN REPORTS_TO d ON d.to_id = e.from_id LEFT JOIN (SELECT l.from_id, l.to_id FROM LEADS l "
            "JOIN Team t ON t.id = l.to_id WHERE starts_with(t.name, 'S')) lt ON lt.from_id = d.from_id "
            "WHERE e.to_id = $manager GROUP BY e.from_id ORDER BY e.from_id"},
    {"id": "W76", "title": "optional with WHERE: managers leading a team", "ordered": True,
     "cypher": "MATCH (t:Team) OPTIONAL MATCH (t)<-[:LEADS]-(r:Role) WHERE r.name STARTS WITH 'Manager' "
               "WITH t, count(r) AS n RETURN n, count(*) AS teams ORDER BY n",
     "sql": "SELECT n, count(*) AS teams FROM (SELECT t.id, count(lr.from_id) AS n FROM Team t LEFT JOIN "
            "(SELECT l.from_id, l.to_id FROM LEADS l JOIN Role r ON r.id = l.from_id WHERE starts_with(r.name, 'Manager')) lr "
            "ON lr.to_id = t.id GROUP BY t.id) GROUP BY n ORDER BY n"},
    {"id": "W77", "title": "optional IS NULL: no incoming collaboration",
     "cypher": "MATCH (r:Role) OPTIONAL MATCH (r)<-[:COLLABORATES_WITH]-(o:Role) WITH r, o WHERE o IS NULL "
               "RETURN count(r)",
     "sql": "SELECT count(*) FROM Role r LEFT JOIN COLLABORATES_WITH c ON c.to_id = r.id WHERE c.from_id IS NULL"},
    {"id": "W78", "title": "optional returning nulls", "ordered": True,
     "cypher": "MATCH (r:Role)-[:REPORTS_TO]->(m:Role {id: $role}) OPTIONAL MATCH (r)-[:WORKS_WITH]->(t:Team) "
               "WHERE t.name STARTS WITH 'Data' OR t.name STARTS WITH 'Security' RETURN r.id, t.id ORDER BY r.id, t.id",
     "sql": "SELECT e.from_id, w.to_id FROM REPORTS_TO e LEFT JOIN (SELECT w.from_id, w.to_id FROM WORKS_WITH w "
            "JOIN Team t ON t.id = w.to_id WHERE starts_with(t.name, 'Data') OR starts_with(t.name, 'Security')) w "
            "ON w.from_id = e.from_id WHERE e.to_id = $role ORDER BY e.from_id, w.to_id"},
    {"id": "W79", "title": "count(*) vs count(x) over optional rows",
     "cypher": "MATCH (r:Role) WHERE r.id IN ['ceo', 'r3', 'r10', 'r1234', 'r1999'] "
               "OPTIONAL MATCH (r)<-[:REPORTS_TO]-(d:Role) RETURN count(*) AS rows, count(d) AS reports, "
               "count(DISTINCT r) AS roles",
     "sql": "SELECT count(*), count(d.from_id), count(DISTINCT r.id) FROM Role r LEFT JOIN REPORTS_TO d "
            "ON d.to_id = r.id WHERE r.id IN ('ceo', 'r3', 'r10', 'r1234', 'r1999')"},
    {"id": "W80", "title": "optional var-length from a list", "ordered": True,
     "cypher": "MATCH (r:Role) WHERE r.id IN ['r3', 'r5', 'r10', 'r1234'] OPTIONAL MATCH (r)<-[:REPORTS_TO*1..2]-(d:Role) "
               "RETURN r.id, count(d) AS n ORDER BY r.id",
     "sql": "SELECT r.id, count(d.id) FROM Role r LEFT JOIN (SELECT a.to_id AS top, a.from_id AS id FROM REPORTS_TO a "
            "UNION ALL SELECT a.to_id, b.from_id FROM REPORTS_TO a JOIN REPORTS_TO b ON b.to_id = a.from_id) d "
            "ON d.top = r.id WHERE r.id IN ('r3', 'r5', 'r10', 'r1234') GROUP BY r.id ORDER BY r.id"},
    {"id": "W81", "title": "two optional subtree counts per skill (BI-like)", "ordered": True,
     "cypher": "MATCH (s:Skill) OPTIONAL MATCH (s)<-[:REQUIRES]-(x:Role)-[:REPORTS_TO*]->(:Role {id: $a}) "
               "WITH s, count(x) AS ca OPTIONAL MATCH (s)<-[:REQUIRES]-(y:Role)-[:REPORTS_TO*]->(:Role {id: $b}) "
               "WITH s, ca, count(y) AS cb RETURN s.id, ca, cb ORDER BY abs(ca - cb) DESC, s.id LIMIT 10",
     "sql": "WITH RECURSIVE sa(id) AS (SELECT from_id FROM REPORTS_TO WHERE to_id = $a UNION ALL "
            "SELECT e.from_id FROM REPORTS_TO e JOIN sa ON e.to_id = sa.id), "
            "sb(id) AS (SELECT from_id FROM REPORTS_TO WHERE to_id = $b UNION ALL "
            "SELECT e.from_id FROM REPORTS_TO e JOIN sb ON e.to_id = sb.id) "
            "SELECT s.id, coalesce(a.n, 0) AS ca, coalesce(b.n, 0) AS cb FROM Skill s "
            "LEFT JOIN (SELECT q.to_id, count(*) AS n FROM REQUIRES q JOIN sa ON sa.id = q.from_id GROUP BY q.to_id) a "
            "ON a.to_id = s.id LEFT JOIN (SELECT q.to_id, count(*) AS n FROM REQUIRES q JOIN sb ON sb.id = q.from_id "
            "GROUP BY q.to_id) b ON b.to_id = s.id ORDER BY abs(ca - cb) DESC, s.id LIMIT 10"},
    {"id": "W82", "title": "optional profile over three types per report", "ordered": True,
     "cypher": "MATCH (m:Role {id: $role})<-[:REPORTS_TO]-(r:Role) OPTIONAL MATCH (r)-[:LEADS]->(t:Team) "
               "WITH r, count(t) AS leads OPTIONAL MATCH (r)<-[:COLLABORATES_WITH]-(c:Role) "
               "WITH r, leads, count(c) AS fans OPTIONAL MATCH (r)<-[:REPORTS_TO]-(d:Role) "
               "RETURN r.id, leads, fans, count(d) AS reports ORDER BY reports DESC, r.id",
     "sql": "SELECT e.from_id, (SELECT count(*) FROM LEADS WHERE from_id = e.from_id), "
            "(SELECT count(*) FROM COLLABORATES_WITH WHERE to_id = e.from_id), "
            "(SELECT count(*) FROM REPORTS_TO WHERE to_id = e.from_id) AS reports "
            "FROM REPORTS_TO e WHERE e.to_id = $role ORDER BY reports DESC, e.from_id"},
    # --- NOT / EXISTS -----------------------------------------------------------------------
    {"id": "W83", "title": "EXISTS subquery with a WHERE inside",
     "cypher": "MATCH (r:Role) WHERE EXISTS { MATCH (r)-[:LEADS]->(t:Team) WHERE t.name STARTS WITH 'Security' } "
               "RETURN count(r)",
     "sql": "SELECT count(*) FROM Role r WHERE EXISTS (SELECT 1 FROM LEADS l JOIN Team t ON t.id = l.to_id "
            "WHERE l.from_id = r.id AND starts_with(t.name, 'Security'))"},
    {"id": "W84", "title": "NOT EXISTS over two hops",
     "cypher": "MATCH (r:Role) WHERE NOT EXISTS { MATCH (r)<-[:REPORTS_TO]-(:Role)-[:WORKS_WITH]->(:Team {id: $team}) } "
               "RETURN count(r)",
     "sql": "SELECT count(*) FROM Role r WHERE NOT EXISTS (SELECT 1 FROM REPORTS_TO e JOIN WORKS_WITH w "
            "ON w.from_id = e.from_id WHERE e.to_id = r.id AND w.to_id = $team)"},
    {"id": "W85", "title": "pattern predicates joined by OR",
     "cypher": "MATCH (r:Role) WHERE (r)-[:LEADS]->(:Team {id: $team}) OR (r)-[:WORKS_WITH]->(:Team {id: $team}) "
               "RETURN count(r)",
     "sql": "SELECT count(*) FROM Role r WHERE EXISTS (SELECT 1 FROM LEADS WHERE from_id = r.id AND to_id = $team) "
            "OR EXISTS (SELECT 1 FROM WORKS_WITH WHERE from_id = r.id AND to_id = $team)",
     "adapted": {"kuzu": "MATCH (r:Role) WHERE " + exists("(r)-[:LEADS]->(:Team {id: $team})") + " OR "
                 + exists("(r)-[:WORKS_WITH]->(:Team {id: $team})") + " RETURN count(r)"}},
    {"id": "W86", "title": "semi on an undirected hop: collaborates with manager",
     "cypher": "MATCH (r:Role)-[:REPORTS_TO]->(m:Role) WHERE (r)-[:COLLABORATES_WITH]-(m) RETURN count(*)",
     "sql": f"SELECT count(*) FROM REPORTS_TO e WHERE EXISTS (SELECT 1 FROM {COLLAB} c "
            "WHERE c.a = e.from_id AND c.b = e.to_id)",
     "adapted": {"kuzu": "MATCH (r:Role)-[:REPORTS_TO]->(m:Role) WHERE " + exists("(r)-[:COLLABORATES_WITH]-(m)")
                 + " RETURN count(*)"}},
    {"id": "W87", "title": "anti over a bounded var-length",
     "cypher": "MATCH (s:Skill) WHERE NOT EXISTS { MATCH (s)<-[:REQUIRES]-(:Role)-[:REPORTS_TO*1..2]->(:Role {id: $manager}) } "
               "RETURN count(s)",
     "sql": "SELECT count(*) FROM Skill s WHERE NOT EXISTS (SELECT 1 FROM REQUIRES q JOIN (SELECT from_id AS id "
            "FROM REPORTS_TO WHERE to_id = $manager UNION ALL SELECT b.from_id FROM REPORTS_TO a JOIN REPORTS_TO b "
            "ON b.to_id = a.from_id WHERE a.to_id = $manager) d ON d.id = q.from_id WHERE q.to_id = s.id)"},
    {"id": "W88", "title": "EXISTS as a returned flag", "ordered": True,
     "cypher": "MATCH (r:Role)-[:REPORTS_TO]->(m:Role {id: $manager}) "
               "RETURN r.id, EXISTS { MATCH (r)-[:COLLABORATES_WITH]-(:Role)-[:REPORTS_TO]->(m) } AS peer ORDER BY r.id",
     "sql": f"SELECT e.from_id, EXISTS (SELECT 1 FROM {COLLAB} c JOIN REPORTS_TO f ON f.from_id = c.b "
            "WHERE c.a = e.from_id AND f.to_id = $manager) AS peer FROM REPORTS_TO e WHERE e.to_id = $manager "
            "ORDER BY e.from_id"},
    {"id": "W89", "title": "IN list with an anti pattern", "ordered": True,
     "cypher": "MATCH (r:Role)-[:REQUIRES]->(s:Skill) WHERE s.id IN ['skill1', 'skill2', 'skill3'] "
               "AND NOT (r)-[:REQUIRES]->(:Skill {id: 'skill4'}) RETURN s.id, count(r) AS n ORDER BY s.id",
     "sql": "SELECT q.to_id, count(*) FROM REQUIRES q WHERE q.to_id IN ('skill1', 'skill2', 'skill3') AND NOT EXISTS "
            "(SELECT 1 FROM REQUIRES p WHERE p.from_id = q.from_id AND p.to_id = 'skill4') GROUP BY q.to_id ORDER BY q.to_id",
     "adapted": {"kuzu": "MATCH (r:Role)-[:REQUIRES]->(s:Skill) WHERE s.id IN ['skill1', 'skill2', 'skill3'] AND NOT "
                 + exists("(r)-[:REQUIRES]->(:Skill {id: 'skill4'})") + " RETURN s.id, count(r) AS n ORDER BY s.id"}},
    # --- variable length ------------------------------------------------------------------
    {"id": "W90", "title": "fixed *3 down",
     "cypher": "MATCH (m:Role {id: $role})<-[:REPORTS_TO*3]-(x:Role) RETURN count(x)",
     "sql": "SELECT count(*) FROM REPORTS_TO a JOIN REPORTS_TO b ON b.to_id = a.from_id "
            "JOIN REPORTS_TO c ON c.to_id = b.from_id WHERE a.to_id = $role"},
    {"id": "W91", "title": "bounded *2..4 with a filter on reached roles",
     "cypher": "MATCH (m:Role {id: $role})<-[:REPORTS_TO*2..4]-(x:Role) WHERE x.name STARTS WITH 'Senior' RETURN count(x)",
     "sql": "WITH RECURSIVE down(id, d) AS (SELECT $role, 0 UNION ALL SELECT e.from_id, down.d + 1 FROM down "
            "JOIN REPORTS_TO e ON e.to_id = down.id WHERE down.d < 4) SELECT count(*) FROM down "
            "JOIN Role r ON r.id = down.id WHERE down.d >= 2 AND starts_with(r.name, 'Senior')"},
    {"id": "W92", "title": "unbounded then a hop filtered on the far label",
     "cypher": "MATCH (m:Role {id: $manager})<-[:REPORTS_TO*]-(x:Role)-[:LEADS]->(t:Team) "
               "WHERE t.name CONTAINS 'Cloud' RETURN count(DISTINCT t)",
     "sql": SUB.format(m="$manager") + "SELECT count(DISTINCT l.to_id) FROM sub JOIN LEADS l ON l.from_id = sub.id "
            "JOIN Team t ON t.id = l.to_id WHERE contains(t.name, 'Cloud')"},
    {"id": "W93", "title": "unbounded toward a bound end, suffix on starts",
     "cypher": "MATCH (r:Role)-[:REPORTS_TO*]->(m:Role {id: $role}) WHERE r.name ENDS WITH '7' RETURN count(r)",
     "sql": SUB.format(m="$role") + "SELECT count(*) FROM sub JOIN Role r ON r.id = sub.id WHERE ends_with(r.name, '7')"},
    {"id": "W94", "title": "depth histogram from the CEO", "ordered": True,
     "cypher": "MATCH p = (c:Role {id: 'ceo'})<-[:REPORTS_TO*]-(r:Role) RETURN length(p) AS depth, count(*) AS roles "
               "ORDER BY depth",
     "sql": "WITH RECURSIVE down(id, d) AS (SELECT 'ceo', 0 UNION ALL SELECT e.from_id, down.d + 1 FROM down "
            "JOIN REPORTS_TO e ON e.to_id = down.id) SELECT d, count(*) FROM down WHERE d >= 1 GROUP BY d ORDER BY d"},
    {"id": "W95", "title": "*0..2 with zero length, foci", "ordered": True,
     "cypher": "MATCH (m:Role {id: $manager})<-[:REPORTS_TO*0..2]-(x:Role)-[:FOCUSES_ON]->(f:Focus) "
               "RETURN f.name, count(*) AS n ORDER BY n DESC, f.name",
     "sql": "WITH d AS (SELECT $manager AS id UNION ALL SELECT from_id FROM REPORTS_TO WHERE to_id = $manager "
            "UNION ALL SELECT b.from_id FROM REPORTS_TO a JOIN REPORTS_TO b ON b.to_id = a.from_id WHERE a.to_id = $manager) "
            "SELECT f.name, count(*) AS n FROM d JOIN FOCUSES_ON o ON o.from_id = d.id JOIN Focus f ON f.id = o.to_id "
            "GROUP BY f.name ORDER BY n DESC, f.name"},
    {"id": "W96", "title": "unbounded, end filtered by a pattern", "ordered": True,
     "cypher": "MATCH (m:Role {id: $a})<-[:REPORTS_TO*]-(x:Role) WHERE (x)-[:LEADS]->(:Team {id: $team}) "
               "RETURN x.id ORDER BY x.id LIMIT 20",
     "sql": SUB.format(m="$a") + "SELECT sub.id FROM sub WHERE EXISTS (SELECT 1 FROM LEADS l WHERE l.from_id = sub.id "
            "AND l.to_id = $team) ORDER BY sub.id LIMIT 20",
     "adapted": {"kuzu": "MATCH (m:Role {id: $a})<-[:REPORTS_TO*]-(x:Role) WHERE "
                 + exists("(x)-[:LEADS]->(:Team {id: $team})") + " RETURN x.id ORDER BY x.id LIMIT 20"}},
    {"id": "W97", "title": "directed collaboration *1..3 reach",
     "cypher": "MATCH (a:Role {id: $point})-[:COLLABORATES_WITH*1..3]->(b:Role) WHERE b.id <> $point "
               "RETURN count(DISTINCT b)",
     "sql": "WITH RECURSIVE reach(id, d) AS (SELECT $point, 0 UNION ALL SELECT c.to_id, reach.d + 1 FROM reach "
            "JOIN COLLABORATES_WITH c ON c.from_id = reach.id WHERE reach.d < 3) "
            "SELECT count(DISTINCT id) FROM reach WHERE d >= 1 AND id <> $point"},
    {"id": "W98", "title": "top-k managers by subtree size", "ordered": True,
     "cypher": "MATCH (m:Role)<-[:REPORTS_TO*]-(x:Role) RETURN m.id, count(x) AS n ORDER BY n DESC, m.id LIMIT 5",
     "sql": "WITH RECURSIVE anc(id, top) AS (SELECT from_id, to_id FROM REPORTS_TO UNION ALL "
            "SELECT anc.id, e.to_id FROM anc JOIN REPORTS_TO e ON e.from_id = anc.top) "
            "SELECT top, count(*) AS n FROM anc GROUP BY top ORDER BY n DESC, top LIMIT 5"},
    # --- undirected -----------------------------------------------------------------------
    {"id": "W99", "title": "undirected tree edge: manager and reports", "ordered": True,
     "cypher": "MATCH (a:Role {id: $manager})-[:REPORTS_TO]-(b:Role) RETURN b.id ORDER BY b.id",
     "sql": "SELECT id FROM (SELECT to_id AS id FROM REPORTS_TO WHERE from_id = $manager UNION ALL "
            "SELECT from_id FROM REPORTS_TO WHERE to_id = $manager) ORDER BY id"},
    {"id": "W100", "title": "undirected, any type, at a team",
     "cypher": "MATCH (t:Team {id: $team})-[e]-(r:Role) RETURN count(e), count(DISTINCT r)",
     "sql": "SELECT count(*), count(DISTINCT from_id) FROM (SELECT from_id FROM LEADS WHERE to_id = $team "
            "UNION ALL SELECT from_id FROM WORKS_WITH WHERE to_id = $team)"},
    {"id": "W101", "title": "collaboration degree histogram", "ordered": True,
     "cypher": "MATCH (r:Role) OPTIONAL MATCH (r)-[:COLLABORATES_WITH]-(o:Role) WITH r, count(o) AS k "
               "RETURN k, count(*) AS roles ORDER BY k",
     "sql": f"SELECT k, count(*) AS roles FROM (SELECT r.id, count(c.b) AS k FROM Role r LEFT JOIN {COLLAB} c "
            "ON c.a = r.id GROUP BY r.id) GROUP BY k ORDER BY k"},
    {"id": "W102", "title": "collaborating siblings (undirected + shared manager)",
     "cypher": "MATCH (a:Role)-[:COLLABORATES_WITH]-(b:Role), (a)-[:REPORTS_TO]->(m:Role)<-[:REPORTS_TO]-(b) "
               "RETURN count(*)",
     "sql": f"SELECT count(*) FROM {COLLAB} c JOIN REPORTS_TO x ON x.from_id = c.a "
            "JOIN REPORTS_TO y ON y.from_id = c.b AND y.to_id = x.to_id"},
    # --- top-k over groups ----------------------------------------------------------------
    {"id": "W103", "title": "top-k with several aggregates", "ordered": True,
     "cypher": "MATCH (r:Role)-[:LEADS]->(t:Team) RETURN t.id, count(r) AS n, min(r.id) AS first, "
               "max(r.name) AS last ORDER BY n DESC, t.id LIMIT 5",
     "sql": "SELECT l.to_id, count(*) AS n, min(l.from_id), max(r.name) FROM LEADS l JOIN Role r ON r.id = l.from_id "
            "GROUP BY l.to_id ORDER BY n DESC, l.to_id LIMIT 5"},
    {"id": "W104", "title": "bottom-k: least required skills", "ordered": True,
     "cypher": "MATCH (s:Skill)<-[:REQUIRES]-(r:Role) RETURN s.id, count(r) AS n ORDER BY n, s.id LIMIT 10",
     "sql": "SELECT to_id, count(*) AS n FROM REQUIRES GROUP BY to_id ORDER BY n, to_id LIMIT 10"},
    {"id": "W105", "title": "per focus: distinct teams led, and ties", "ordered": True,
     "cypher": "MATCH (f:Focus)<-[:FOCUSES_ON]-(r:Role)-[:LEADS]->(t:Team) "
               "RETURN f.name, count(*) AS leads, count(DISTINCT t) AS teams ORDER BY teams DESC, leads DESC, f.name",
     "sql": "SELECT f.name, count(*) AS leads, count(DISTINCT l.to_id) AS teams FROM FOCUSES_ON o "
            "JOIN Focus f ON f.id = o.to_id JOIN LEADS l ON l.from_id = o.from_id "
            "GROUP BY f.name ORDER BY teams DESC, leads DESC, f.name"},
    {"id": "W106", "title": "skill co-occurrence pairs (BI-like)", "ordered": True,
     "cypher": "MATCH (a:Skill)<-[:REQUIRES]-(r:Role)-[:REQUIRES]->(b:Skill) WHERE a.id < b.id "
               "RETURN a.id, b.id, count(*) AS n ORDER BY n DESC, a.id, b.id LIMIT 10",
     "sql": "SELECT x.to_id, y.to_id, count(*) AS n FROM REQUIRES x JOIN REQUIRES y ON y.from_id = x.from_id "
            "AND x.to_id < y.to_id GROUP BY x.to_id, y.to_id ORDER BY n DESC, x.to_id, y.to_id LIMIT 10"},
    {"id": "W107", "title": "top-k over an expression key", "ordered": True,
     "cypher": "MATCH (r:Role) RETURN left(r.name, 5) AS head, count(*) AS n ORDER BY n DESC, head LIMIT 5",
     "sql": "SELECT left(name, 5) AS head, count(*) AS n FROM Role GROUP BY head ORDER BY n DESC, head LIMIT 5"},
    {"id": "W108", "title": "top-k over a subtree's responsibilities", "ordered": True,
     "cypher": "MATCH (m:Role {id: $a})<-[:REPORTS_TO*]-(r:Role)-[:RESPONSIBLE_FOR]->(x:Responsibility) "
               "RETURN x.id, count(*) AS n ORDER BY n DESC, x.id LIMIT 10",
     "sql": SUB.format(m="$a") + "SELECT e.to_id, count(*) AS n FROM sub JOIN RESPONSIBLE_FOR e ON e.from_id = sub.id "
            "GROUP BY e.to_id ORDER BY n DESC, e.to_id LIMIT 10"},
    # --- filters on every label -------------------------------------------------------------
    {"id": "W109", "title": "Responsibility: name range, owners",
     "cypher": "MATCH (x:Responsibility)<-[:RESPONSIBLE_FOR]-(r:Role) WHERE x.name >= 'Data' AND x.name < 'Design' "
               "RETURN count(DISTINCT r)",
     "sql": "SELECT count(DISTINCT e.from_id) FROM Responsibility x JOIN RESPONSIBLE_FOR e ON e.to_id = x.id "
            "WHERE x.name >= 'Data' AND x.name < 'Design'"},
    {"id": "W110", "title": "Skill: parameter prefix or id",
     "cypher": "MATCH (s:Skill) WHERE s.name STARTS WITH $needle OR s.id = $skill RETURN count(s)",
     "sql": "SELECT count(*) FROM Skill WHERE starts_with(name, $needle) OR id = $skill"},
    {"id": "W111", "title": "Team: regular expression",
     "cypher": "MATCH (t:Team) WHERE t.name =~ '[A-D].* team [0-9]*[0-4]' RETURN count(t)",
     "sql": "SELECT count(*) FROM Team WHERE regexp_full_match(name, '[A-D].* team [0-9]*[0-4]')"},
    {"id": "W112", "title": "Role: case-insensitive contains",
     "cypher": "MATCH (r:Role) WHERE toLower(r.name) CONTAINS 'data 1' RETURN count(r)",
     "sql": "SELECT count(*) FROM Role WHERE contains(lower(name), 'data 1')"},
    {"id": "W113", "title": "Role: IN list, then a hop", "ordered": True,
     "cypher": "MATCH (r:Role)-[:FOCUSES_ON]->(f:Focus) WHERE r.id IN ['r2', 'r3', 'r4', 'r5', 'r10', 'r1234'] "
               "RETURN r.id, f.name ORDER BY r.id, f.name",
     "sql": "SELECT o.from_id, f.name FROM FOCUSES_ON o JOIN Focus f ON f.id = o.to_id "
            "WHERE o.from_id IN ('r2', 'r3', 'r4', 'r5', 'r10', 'r1234') ORDER BY o.from_id, f.name"},
    {"id": "W114", "title": "Focus: not-equal and range behind a skill", "ordered": True,
     "cypher": "MATCH (f:Focus)<-[:FOCUSES_ON]-(r:Role)-[:REQUIRES]->(s:Skill {id: $skill}) "
               "WHERE f.name <> 'growth' AND f.name < 'm' RETURN f.name, count(r) AS n ORDER BY f.name",
     "sql": "SELECT f.name, count(*) FROM REQUIRES q JOIN FOCUSES_ON o ON o.from_id = q.from_id "
            "JOIN Focus f ON f.id = o.to_id WHERE q.to_id = $skill AND f.name <> 'growth' AND f.name < 'm' "
            "GROUP BY f.name ORDER BY f.name"},
    {"id": "W115", "title": "Responsibility: suffix and NOT prefix",
     "cypher": "MATCH (x:Responsibility) WHERE x.name ENDS WITH '0' AND NOT x.name STARTS WITH 'Data' RETURN count(x)",
     "sql": "SELECT count(*) FROM Responsibility WHERE ends_with(name, '0') AND NOT starts_with(name, 'Data')"},
    {"id": "W116", "title": "Team: id range, members",
     "cypher": "MATCH (t:Team)<-[:WORKS_WITH]-(r:Role) WHERE t.id >= 'team10' AND t.id < 'team20' RETURN count(*)",
     "sql": "SELECT count(*) FROM WORKS_WITH WHERE to_id >= 'team10' AND to_id < 'team20'"},
    {"id": "W117", "title": "Skill: longest names", "ordered": True,
     "cypher": "MATCH (s:Skill) RETURN s.id, size(s.name) AS len ORDER BY len DESC, s.id LIMIT 5",
     "sql": "SELECT id, length(name) AS len FROM Skill ORDER BY len DESC, id LIMIT 5"},
    # --- pagination ------------------------------------------------------------------------
    {"id": "W118", "title": "deep page over a label by id", "ordered": True,
     "cypher": "MATCH (r:Role) RETURN r.id ORDER BY r.id SKIP 1500 LIMIT 10",
     "sql": "SELECT id FROM Role ORDER BY id LIMIT 10 OFFSET 1500"},
    {"id": "W119", "title": "deep page over a join", "ordered": True,
     "cypher": "MATCH (r:Role)-[:LEADS]->(t:Team) RETURN t.id, r.id ORDER BY t.id, r.id SKIP 1000 LIMIT 10",
     "sql": "SELECT to_id, from_id FROM LEADS ORDER BY to_id, from_id LIMIT 10 OFFSET 1000"},
    {"id": "W120", "title": "page over aggregates, mixed directions", "ordered": True,
     "cypher": "MATCH (t:Team)<-[:WORKS_WITH]-(r:Role) RETURN t.name, count(r) AS n ORDER BY n, t.name DESC SKIP 10 LIMIT 10",
     "sql": "SELECT t.name, count(*) AS n FROM WORKS_WITH w JOIN Team t ON t.id = w.to_id GROUP BY t.name "
            "ORDER BY n, t.name DESC LIMIT 10 OFFSET 10"},
    {"id": "W121", "title": "WITH page, then expand", "ordered": True,
     "cypher": "MATCH (r:Role) WHERE r.name STARTS WITH 'Manager' WITH r ORDER BY r.name DESC, r.id SKIP 100 LIMIT 5 "
               "MATCH (r)-[:REQUIRES]->(s:Skill) RETURN r.id, s.id ORDER BY r.id, s.id",
     "sql": "SELECT r.id, q.to_id FROM (SELECT id FROM Role WHERE starts_with(name, 'Manager') "
            "ORDER BY name DESC, id LIMIT 5 OFFSET 100) r JOIN REQUIRES q ON q.from_id = r.id ORDER BY r.id, q.to_id"},
    # --- WITH pipelines ---------------------------------------------------------------------
    {"id": "W122", "title": "WITH WHERE on an aggregate, then sum/max",
     "cypher": "MATCH (s:Skill)<-[:REQUIRES]-(r:Role) WITH s, count(r) AS n WHERE n >= 100 "
               "RETURN count(s) AS skills, sum(n) AS total, max(n) AS top",
     "sql": "SELECT count(*), sum(n), max(n) FROM (SELECT to_id, count(*) AS n FROM REQUIRES GROUP BY to_id "
            "HAVING count(*) >= 100)",
     "adapted": {"kuzu": "MATCH (s:Skill)<-[:REQUIRES]-(r:Role) WITH s, count(r) AS n WHERE n >= 100 "
                 "RETURN count(s) AS skills, CAST(sum(n) AS INT64) AS total, max(n) AS top"}},
    {"id": "W123", "title": "min/max/avg of span of control",
     "cypher": "MATCH (m:Role)<-[:REPORTS_TO]-(r:Role) WITH m, count(r) AS k RETURN min(k), max(k), avg(k)",
     "sql": "SELECT min(k), max(k), avg(k) FROM (SELECT to_id, count(*) AS k FROM REPORTS_TO GROUP BY to_id)"},
    {"id": "W124", "title": "two WITH aggregations in a row", "ordered": True,
     "cypher": "MATCH (m:Role)<-[:REPORTS_TO]-(r:Role)-[:LEADS]->(t:Team) WITH m, count(DISTINCT t) AS teams "
               "WHERE teams >= 8 WITH teams, count(m) AS managers RETURN teams, managers ORDER BY teams",
     "sql": "SELECT teams, count(*) AS managers FROM (SELECT e.to_id, count(DISTINCT l.to_id) AS teams FROM REPORTS_TO e "
            "JOIN LEADS l ON l.from_id = e.from_id GROUP BY e.to_id HAVING count(DISTINCT l.to_id) >= 8) "
            "GROUP BY teams ORDER BY teams"},
    {"id": "W125", "title": "WITH then MATCH two hops with a filter", "ordered": True,
     "cypher": "MATCH (r:Role)-[:REPORTS_TO]->(m:Role {id: $role}) WITH r "
               "MATCH (r)<-[:REPORTS_TO]-(d:Role)-[:REQUIRES]->(s:Skill) WHERE s.name STARTS WITH 'Data' "
               "RETURN r.id, count(DISTINCT d) AS n ORDER BY n DESC, r.id",
     "sql": "SELECT e.from_id, count(DISTINCT d.from_id) AS n FROM REPORTS_TO e JOIN REPORTS_TO d ON d.to_id = e.from_id "
            "JOIN REQUIRES q ON q.from_id = d.from_id JOIN Skill s ON s.id = q.to_id "
            "WHERE e.to_id = $role AND starts_with(s.name, 'Data') GROUP BY e.from_id ORDER BY n DESC, e.from_id"},
    # --- collect / UNWIND -------------------------------------------------------------------
    {"id": "W126", "title": "collect nodes, UNWIND, expand", "ordered": True,
     "cypher": "MATCH (m:Role {id: $manager})<-[:REPORTS_TO]-(r:Role) WITH m, collect(r) AS rs UNWIND rs AS x "
               "MATCH (x)-[:REQUIRES]->(s:Skill) RETURN s.id, count(*) AS n ORDER BY n DESC, s.id LIMIT 5",
     "sql": "SELECT q.to_id, count(*) AS n FROM REPORTS_TO e JOIN REQUIRES q ON q.from_id = e.from_id "
            "WHERE e.to_id = $manager GROUP BY q.to_id ORDER BY n DESC, q.to_id LIMIT 5"},
    {"id": "W127", "title": "UNWIND ids, join a label, aggregate", "ordered": True,
     "cypher": "UNWIND ['skill1', 'skill2', 'skill3', 'skill5', 'skill8'] AS sid "
               "MATCH (s:Skill {id: sid})<-[:REQUIRES]-(r:Role) RETURN sid, count(r) AS n ORDER BY sid",
     "sql": "SELECT to_id, count(*) FROM REQUIRES WHERE to_id IN ('skill1', 'skill2', 'skill3', 'skill5', 'skill8') "
            "GROUP BY to_id ORDER BY to_id"},
    {"id": "W128", "title": "size of collected DISTINCT lists", "ordered": True,
     "cypher": "MATCH (t:Team)<-[:WORKS_WITH]-(r:Role)-[:FOCUSES_ON]->(f:Focus) WITH t, collect(DISTINCT f.name) AS foci "
               "RETURN size(foci) AS k, count(t) AS teams ORDER BY k",
     "sql": "SELECT k, count(*) FROM (SELECT w.to_id, count(DISTINCT o.to_id) AS k FROM WORKS_WITH w "
            "JOIN FOCUSES_ON o ON o.from_id = w.from_id GROUP BY w.to_id) GROUP BY k ORDER BY k"},
    {"id": "W129", "title": "UNWIND range, ids built from numbers", "ordered": True,
     "cypher": "UNWIND range(1, 10) AS i MATCH (r:Role {id: 'r' + toString(i)})-[:COLLABORATES_WITH]-(o:Role) "
               "RETURN i, count(o) AS n ORDER BY i",
     "sql": f"SELECT i, count(*) FROM generate_series(1, 10) g(i) JOIN {COLLAB} c ON c.a = 'r' || i::VARCHAR "
            "GROUP BY i ORDER BY i",
     "adapted": {"kuzu": "UNWIND range(1, 10) AS i MATCH (r:Role {id: 'r' + cast(i AS STRING)})-[:COLLABORATES_WITH]-(o:Role) "
                 "RETURN i, count(o) AS n ORDER BY i"}},
    # --- DISTINCT ----------------------------------------------------------------------------
    {"id": "W130", "title": "DISTINCT (team, focus) pairs",
     "cypher": "MATCH (r:Role)-[:LEADS]->(t:Team), (r)-[:FOCUSES_ON]->(f:Focus) WITH DISTINCT t, f RETURN count(*)",
     "sql": "SELECT count(*) FROM (SELECT DISTINCT l.to_id, o.to_id FROM LEADS l JOIN FOCUSES_ON o ON o.from_id = l.from_id)"},
    {"id": "W131", "title": "RETURN DISTINCT expression and property", "ordered": True,
     "cypher": "MATCH (m:Role {id: $role})<-[:REPORTS_TO*1..2]-(r:Role)-[:WORKS_WITH]->(t:Team) "
               "RETURN DISTINCT left(r.name, 3) AS title, t.id ORDER BY t.id, title LIMIT 15",
     "sql": "SELECT DISTINCT left(r.name, 3) AS title, w.to_id FROM (SELECT from_id AS id FROM REPORTS_TO WHERE to_id = $role "
            "UNION ALL SELECT b.from_id FROM REPORTS_TO a JOIN REPORTS_TO b ON b.to_id = a.from_id WHERE a.to_id = $role) d "
            "JOIN Role r ON r.id = d.id JOIN WORKS_WITH w ON w.from_id = d.id ORDER BY w.to_id, title LIMIT 15"},
    {"id": "W132", "title": "several count DISTINCT in one row",
     "cypher": "MATCH (r:Role)-[:WORKS_WITH]->(t:Team) WHERE r.name STARTS WITH 'Lead' "
               "RETURN count(DISTINCT r) AS roles, count(DISTINCT t) AS teams, count(*) AS ties",
     "sql": "SELECT count(DISTINCT w.from_id), count(DISTINCT w.to_id), count(*) FROM WORKS_WITH w "
            "JOIN Role r ON r.id = w.from_id WHERE starts_with(r.name, 'Lead')"},
    # --- 2- and 3-hop counts ------------------------------------------------------------------
    {"id": "W133", "title": "2-hop count: leaders x workers of a team",
     "cypher": "MATCH (a:Role)-[:LEADS]->(t:Team)<-[:WORKS_WITH]-(b:Role) RETURN count(*)",
     "sql": "SELECT count(*) FROM LEADS l JOIN WORKS_WITH w ON w.to_id = l.to_id"},
    {"id": "W134", "title": "3-hop count: great-grand-manager chains",
     "cypher": "MATCH (a:Role)-[:REPORTS_TO]->(b:Role)-[:REPORTS_TO]->(c:Role)-[:REPORTS_TO]->(d:Role) RETURN count(*)",
     "sql": "SELECT count(*) FROM REPORTS_TO x JOIN REPORTS_TO y ON y.from_id = x.to_id JOIN REPORTS_TO z ON z.from_id = y.to_id"},
    {"id": "W135", "title": "3-hop from a point: manager's skill peers",
     "cypher": "MATCH (r:Role {id: $point})-[:REPORTS_TO]->(m:Role)-[:REQUIRES]->(s:Skill)<-[:REQUIRES]-(o:Role) "
               "WHERE o.id <> m.id RETURN count(DISTINCT o)",
     "sql": "SELECT count(DISTINCT z.from_id) FROM REPORTS_TO e JOIN REQUIRES y ON y.from_id = e.to_id "
            "JOIN REQUIRES z ON z.to_id = y.to_id AND z.from_id <> y.from_id WHERE e.from_id = $point"},
    {"id": "W136", "title": "2-hop with filters at both ends",
     "cypher": "MATCH (a:Role)-[:COLLABORATES_WITH]->(b:Role)-[:LEADS]->(t:Team) "
               "WHERE a.name STARTS WITH 'Director' AND t.name STARTS WITH 'Data' RETURN count(*)",
     "sql": "SELECT count(*) FROM COLLABORATES_WITH c JOIN Role a ON a.id = c.from_id JOIN LEADS l ON l.from_id = c.to_id "
            "JOIN Team t ON t.id = l.to_id WHERE starts_with(a.name, 'Director') AND starts_with(t.name, 'Data')"},
    {"id": "W137", "title": "3-hop grouped by the middle node", "ordered": True,
     "cypher": "MATCH (a:Role)-[:REQUIRES]->(s:Skill)<-[:REQUIRES]-(b:Role)-[:REPORTS_TO]->(m:Role {id: $manager}) "
               "WHERE a.id <> b.id RETURN s.id, count(*) AS n ORDER BY n DESC, s.id LIMIT 5",
     "sql": "SELECT y.to_id, count(*) AS n FROM REPORTS_TO e JOIN REQUIRES y ON y.from_id = e.from_id "
            "JOIN REQUIRES x ON x.to_id = y.to_id AND x.from_id <> y.from_id WHERE e.to_id = $manager "
            "GROUP BY y.to_id ORDER BY n DESC, y.to_id LIMIT 5"},
    # --- several relationship types -------------------------------------------------------------
    {"id": "W138", "title": "types out of a role", "ordered": True,
     "cypher": "MATCH (r:Role {id: $role})-[e]->() RETURN type(e) AS t, count(*) AS n ORDER BY t",
     "sql": "SELECT t, count(*) AS n FROM (" + " UNION ALL ".join(
         f"SELECT '{t}' AS t FROM {t} WHERE from_id = $role" for t in (
             "RESPONSIBLE_FOR", "REQUIRES", "LEADS", "WORKS_WITH", "REPORTS_TO", "COLLABORATES_WITH", "FOCUSES_ON"))
            + ") GROUP BY t ORDER BY t",
     "adapted": {"kuzu": "MATCH (r:Role {id: $role})-[e]->() RETURN label(e) AS t, count(*) AS n ORDER BY t"}},
    {"id": "W139", "title": "types between roles, all roles", "ordered": True,
     "cypher": "MATCH (r:Role)<-[e]-(:Role) RETURN type(e) AS t, count(*) AS n ORDER BY t",
     "sql": "SELECT 'COLLABORATES_WITH', count(*) FROM COLLABORATES_WITH UNION ALL "
            "SELECT 'REPORTS_TO', count(*) FROM REPORTS_TO ORDER BY 1",
     "adapted": {"kuzu": "MATCH (r:Role)<-[e]-(:Role) RETURN label(e) AS t, count(*) AS n ORDER BY t"}},
    {"id": "W140", "title": "two types from a subtree",
     "cypher": "MATCH (m:Role {id: $manager})<-[:REPORTS_TO*]-(x:Role)-[:LEADS|WORKS_WITH]->(t:Team) "
               "RETURN count(*) AS ties, count(DISTINCT t) AS teams",
     "sql": SUB.format(m="$manager") + "SELECT count(*), count(DISTINCT e.to_id) FROM sub JOIN "
            "(SELECT from_id, to_id FROM LEADS UNION ALL SELECT from_id, to_id FROM WORKS_WITH) e ON e.from_id = sub.id"},
    {"id": "W141", "title": "any type into a label",
     "cypher": "MATCH (r:Role)-[e]->(t:Team) RETURN count(e)",
     "sql": "SELECT (SELECT count(*) FROM LEADS) + (SELECT count(*) FROM WORKS_WITH)"},
    # --- LDBC-like reads --------------------------------------------------------------------------
    {"id": "W142", "title": "IC-like: circle within two hops who lead, page", "ordered": True,
     "cypher": "MATCH (a:Role {id: $point})-[:COLLABORATES_WITH*1..2]-(b:Role)-[:LEADS]->(t:Team) WHERE b.id <> $point "
               "WITH DISTINCT b, t RETURN b.id, t.id ORDER BY t.id, b.id LIMIT 10",
     "sql": f"WITH c AS {COLLAB}, f AS (SELECT b AS id FROM c WHERE a = $point UNION SELECT c2.b FROM c c1 "
            "JOIN c c2 ON c2.a = c1.b WHERE c1.a = $point) SELECT f.id, l.to_id FROM f JOIN LEADS l ON l.from_id = f.id "
            "WHERE f.id <> $point ORDER BY l.to_id, f.id LIMIT 10"},
    {"id": "W143", "title": "IC-like expert search: reports' collaborators", "ordered": True,
     "cypher": "MATCH (a:Role {id: $manager})<-[:REPORTS_TO]-(b:Role)-[:COLLABORATES_WITH]-(c:Role)-[:REQUIRES]->(s:Skill) "
               "WHERE s.name STARTS WITH 'Data' RETURN b.id, count(DISTINCT c) AS n ORDER BY n DESC, b.id LIMIT 10",
     "sql": f"SELECT e.from_id, count(DISTINCT c.b) AS n FROM REPORTS_TO e JOIN {COLLAB} c ON c.a = e.from_id "
            "JOIN REQUIRES q ON q.from_id = c.b JOIN Skill s ON s.id = q.to_id "
            "WHERE e.to_id = $manager AND starts_with(s.name, 'Data') GROUP BY e.from_id ORDER BY n DESC, e.from_id LIMIT 10"},
]


if __name__ == "__main__":
    import os
    import sys
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from harness import install
    q = install("wide")
    for x in q.QUERIES:
        print(q.cypher(x)[0] + ";")

//! The engine against its own little schema (teams and people, every field type, a to-many
//! navigation) in an in-memory database, plus the exact SQL of balena's SDK request, hostile
//! input, and property tests of the parser.
use proptest::prelude::*;
use serde_json::{json, Value};

use super::ast::{CmpOp, Expr, LambdaKind, Literal, Operand, Path};
use super::options::parse_query;
use super::query::{self, visible_keys, Ctx};
use super::resource::{Catalog, Field, FieldType, Principal, Resource, SqlValue, ToMany, Writes};
use super::resources::{API_KEY, V7};
use super::sql::Translator;
use super::{filter, ODataError};
use crate::db::Db;
use crate::error::AppError;

static TEAM: Resource = Resource {
    name: "team",
    table: "teams",
    key: "id",
    fields: &[
        Field {
            name: "id",
            column: "id",
            ty: FieldType::Int,
        },
        Field {
            name: "name",
            column: "name",
            ty: FieldType::Text,
        },
    ],
    to_many: &[ToMany {
        name: "member",
        target: "person",
        remote_column: "team_id",
    }],
    private: None,
    permission: |p, a, params| format!("{a}.owner = {}", params.push(SqlValue::Int(p.user_id))),
    writes: Writes::READ_ONLY,
};

static PERSON: Resource = Resource {
    name: "person",
    table: "people",
    key: "id",
    fields: &[
        Field {
            name: "id",
            column: "id",
            ty: FieldType::Int,
        },
        Field {
            name: "name",
            column: "name",
            ty: FieldType::Text,
        },
        Field {
            name: "age",
            column: "age",
            ty: FieldType::Int,
        },
        Field {
            name: "born",
            column: "born",
            ty: FieldType::Date,
        },
        Field {
            name: "active",
            column: "active",
            ty: FieldType::Bool,
        },
        Field {
            name: "team",
            column: "team_id",
            ty: FieldType::Ref("team"),
        },
    ],
    to_many: &[],
    private: None,
    permission: |p, a, params| format!("{a}.owner = {}", params.push(SqlValue::Int(p.user_id))),
    writes: Writes::READ_ONLY,
};

const CATALOG: Catalog = Catalog(&[&TEAM, &PERSON]);
const ME: Principal = Principal { user_id: 1 };

/// Teams 1, 2, 4 (mine; 4 has nobody), 3 (someone else's). People 1-4 mine (4 in the other's team), 5 not mine.
async fn db() -> Db {
    sqlx::any::install_default_drivers();
    // One connection that never closes: each in-memory connection is its own database.
    let db = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect("sqlite::memory:")
        .await
        .unwrap();
    for sql in [
        "CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT, owner BIGINT NOT NULL)",
        "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT, age BIGINT, born BIGINT,
            active INTEGER, team_id BIGINT, owner BIGINT NOT NULL)",
        "INSERT INTO teams VALUES (1, 'red', 1), (2, 'blue', 1), (3, 'secret', 2), (4, 'empty', 1)",
        // born: 2000-01-01, 2010-01-01, NULL, 1990-01-01, 2000-01-01
        "INSERT INTO people VALUES
            (1, 'ann', 30, 946684800000, 1, 1, 1),
            (2, 'bob', 20, 1262304000000, 0, 1, 1),
            (3, NULL, NULL, NULL, NULL, 2, 1),
            (4, 'o''neil', 40, 631152000000, 1, 3, 1),
            (5, 'eve', 50, 946684800000, 1, 1, 2)",
    ] {
        sqlx::query(sql).execute(&db).await.unwrap();
    }
    db
}

async fn run(db: &Db, res: &'static Resource, query: &str) -> Result<Vec<Value>, String> {
    let ctx = Ctx {
        db,
        catalog: CATALOG,
        principal: ME,
    };
    let options = parse_query(query).map_err(|e| e.0)?;
    query::read(&ctx, res, None, &options)
        .await
        .map_err(|e| match e {
            AppError::BadRequest { message, .. } => message.into_owned(),
            other => panic!("{other:?}"),
        })
}

/// The ids a `$filter` on people selects.
async fn ids(db: &Db, filter: &str) -> Vec<i64> {
    let q = format!(
        "$select=id&$filter={}",
        filter.replace(' ', "%20").replace('+', "%2B")
    );
    run(db, &PERSON, &q)
        .await
        .unwrap_or_else(|e| panic!("{filter}: {e}"))
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn filters_select_the_right_rows() {
    let db = db().await;
    let cases: &[(&str, &[i64])] = &[
        ("", &[1, 2, 3, 4]),
        ("age gt 25", &[1, 4]),
        ("25 lt age", &[1, 4]),
        ("age ge 30 and age le 30", &[1]),
        ("name eq 'ann' or name eq 'bob'", &[1, 2]),
        ("name ne 'ann'", &[2, 3, 4]),
        ("not (name eq 'ann')", &[2, 3, 4]),
        ("not (age gt 25)", &[2, 3]),
        ("name eq null", &[3]),
        ("name ne null", &[1, 2, 4]),
        ("age gt null", &[]),
        ("id in (1, 3, 5)", &[1, 3]),
        ("name in ('bob', null)", &[2, 3]),
        ("name eq 'o''neil'", &[4]),
        ("active eq true", &[1, 4]),
        ("active eq false", &[2]),
        ("born lt '2000-01-01T00:00:00.000Z'", &[4]),
        ("born ge datetime'2000-01-01'", &[1, 2]),
        ("born eq '2000-01-01T01:00:00+01:00'", &[1]),
        ("team eq 1", &[1, 2]),
        ("team/name eq 'red'", &[1, 2]),
        // Team 3 belongs to someone else: navigating into it sees nothing.
        ("team/name eq 'secret'", &[]),
        ("not (team/name eq 'secret')", &[1, 2, 3, 4]),
        ("name eq name", &[1, 2, 3, 4]),
        ("age gt id", &[1, 2, 4]),
    ];
    for (filter, expected) in cases {
        let got = if filter.is_empty() {
            run(&db, &PERSON, "$select=id")
                .await
                .unwrap()
                .iter()
                .map(|r| r["id"].as_i64().unwrap())
                .collect()
        } else {
            ids(&db, filter).await
        };
        assert_eq!(&got, expected, "{filter}");
    }
}

#[tokio::test]
async fn lambdas_respect_permissions() {
    let db = db().await;
    let teams = |q: &'static str| {
        let db = db.clone();
        async move {
            let q = format!("$select=id&$filter={}", q.replace(' ', "%20"));
            run(&db, &TEAM, &q)
                .await
                .unwrap()
                .iter()
                .map(|r| r["id"].as_i64().unwrap())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(teams("member/any(m:m/age gt 25)").await, vec![1]);
    // Eve (50, team 1) is not mine, so she does not count for any() or all().
    assert_eq!(teams("member/any(m:m/age gt 45)").await, Vec::<i64>::new());
    // all() holds for a team without members; team 3 is invisible either way.
    assert_eq!(teams("member/all(m:m/age lt 45)").await, vec![1, 4]);
    // Person 3's age is null: unknown counts as false in all().
    assert_eq!(teams("member/all(m:m/age gt 0)").await, vec![1, 4]);
    assert_eq!(teams("member/any()").await, vec![1, 2]);
    assert_eq!(teams("not member/any()").await, vec![4]);
    assert_eq!(teams("member/any(m:m/team/name eq name)").await, vec![1, 2]);
    assert_eq!(
        teams("member/any(m:m/name eq 'ann') and member/any(m:m/name eq 'bob')").await,
        vec![1]
    );
}

#[tokio::test]
async fn select_orderby_paging_and_expand() {
    let db = db().await;
    // Descending puts nulls first (person 3), so the page is 40 and 30.
    let rows = run(
        &db,
        &PERSON,
        "$select=name,born,team,active&$orderby=age%20desc&$top=2&$skip=1",
    )
    .await
    .unwrap();
    assert_eq!(
        Value::Array(rows),
        json!([
            {"name": "o'neil", "born": "1990-01-01T00:00:00.000Z", "active": true, "team": {"__id": 3}},
            {"name": "ann", "born": "2000-01-01T00:00:00.000Z", "active": true, "team": {"__id": 1}},
        ])
    );
    // Nulls last ascending (PostgreSQL's order), ties by key.
    let names: Vec<Value> = run(&db, &PERSON, "$select=name&$orderby=name")
        .await
        .unwrap()
        .into_iter()
        .map(|r| r["name"].clone())
        .collect();
    assert_eq!(
        names,
        vec![json!("ann"), json!("bob"), json!("o'neil"), Value::Null]
    );
    let huge = run(
        &db,
        &PERSON,
        &format!("$select=id&$top={}&$skip={}", i64::MAX, i64::MAX),
    )
    .await
    .unwrap();
    assert!(huge.is_empty());

    // To-one: an array of one, or empty when the target is not visible.
    let rows = run(
        &db,
        &PERSON,
        "$select=id&$filter=id%20in%20(1,4)&$expand=team($select=name)",
    )
    .await
    .unwrap();
    assert_eq!(
        Value::Array(rows),
        json!([{"id": 1, "team": [{"name": "red"}]}, {"id": 4, "team": []}])
    );
    // To-many with nested options, per parent.
    let rows = run(&db, &TEAM, "$select=name&$expand=member($select=name;$orderby=age%20desc;$top=1;$filter=age%20ne%20null;$expand=team($select=id))").await.unwrap();
    assert_eq!(
        Value::Array(rows),
        json!([
            {"name": "red", "member": [{"name": "ann", "team": [{"id": 1}]}]},
            {"name": "blue", "member": []},
            {"name": "empty", "member": []},
        ])
    );
}

#[tokio::test]
async fn readable_errors() {
    let db = db().await;
    let cases = [
        (
            "$filter=nope%20eq%201",
            "$filter: Unknown field 'nope' of 'person'",
        ),
        (
            "$filter=age%20eq%20'x'",
            "$filter: 'age' cannot be compared with 'x': wrong type",
        ),
        (
            "$filter=born%20gt%20'yesterday'",
            "$filter: Invalid date \"yesterday\" for 'born'",
        ),
        (
            "$filter=team/nope%20eq%201",
            "$filter: Unknown field 'nope' of 'team'",
        ),
        (
            "$filter=age/x%20eq%201",
            "$filter: 'age' is not a navigation",
        ),
        (
            "$filter=1%20eq%201",
            "$filter: a comparison needs a field on one side",
        ),
        (
            "$select=secret",
            "$select: Unknown field 'secret' of 'person'",
        ),
        (
            "$orderby=owner",
            "$orderby: Unknown field 'owner' of 'person'",
        ),
        (
            "$expand=name",
            "$expand: Unknown navigation 'name' of 'person'",
        ),
        (
            "$expand=nobody",
            "$expand: Unknown navigation 'nobody' of 'person'",
        ),
        (
            "$expand=team($filter=owner%20eq%201)",
            "$filter: Unknown field 'owner' of 'team'",
        ),
    ];
    for (q, msg) in cases {
        assert_eq!(run(&db, &PERSON, q).await.unwrap_err(), msg, "{q}");
    }
    assert_eq!(
        run(&db, &TEAM, "$filter=member/age%20eq%201")
            .await
            .unwrap_err(),
        "$filter: 'member' is a to-many navigation: use member/any(...)"
    );
    assert_eq!(
        run(&db, &TEAM, "$filter=member/all()").await.unwrap_err(),
        "$filter: all() needs a condition"
    );
    assert_eq!(
        run(&db, &TEAM, "$filter=member/any(m:m%20eq%201)")
            .await
            .unwrap_err(),
        "$filter: 'm' must be followed by a field"
    );
}

fn translate(
    res: &'static Resource,
    filter_src: &str,
) -> Result<(String, Vec<SqlValue>), ODataError> {
    let e = filter::parse(filter_src)?;
    let mut t = Translator::new(V7, &Principal { user_id: 7 });
    let sql = visible_keys(&mut t, res, None, Some(&e))?;
    Ok((sql, t.params.0))
}

#[test]
fn the_sdks_named_keys_query_in_sql() {
    let (sql, params) = translate(&API_KEY, "is_of__actor eq 10 and name ne null").unwrap();
    // The permission (own keys, plus those of managed applications and devices) comes first,
    // then the filter with the last parameter.
    let n = params.len();
    assert!(
        sql.starts_with("SELECT t0.id FROM api_keys t0 WHERE ((t0.actor_id IN (SELECT actor_id FROM users WHERE id = $1) OR "),
        "{sql}"
    );
    assert!(
        sql.ends_with(&format!(
            "AND ((t0.actor_id = ${n}) AND (t0.name IS NOT NULL))"
        )),
        "{sql}"
    );
    assert_eq!(params[0], SqlValue::Int(7));
    assert_eq!(params[n - 1], SqlValue::Int(10));
    let (sql, _) = translate(&API_KEY, "is_of__actor/id eq 10").unwrap();
    assert!(sql.contains("EXISTS (SELECT 1 FROM actors t1 WHERE t1.id = t0.actor_id AND ((t1.id IN (SELECT actor_id FROM users WHERE id = $"), "{sql}");
}

#[test]
fn hostile_values_stay_parameters() {
    for attack in [
        "name eq 'x'' OR 1=1 --'",
        "name eq '''; DROP TABLE api_keys; --'",
        "name in ('a'')) OR ((1=1', 'b')",
        "description eq '\u{0}\\'",
    ] {
        let (sql, params) = translate(&API_KEY, attack).unwrap();
        assert!(
            !sql.contains("OR 1=1") && !sql.contains("DROP") && !sql.contains('\''),
            "{sql}"
        );
        assert!(
            params.iter().any(|p| matches!(p, SqlValue::Text(_))),
            "{attack}"
        );
    }
    for (attack, msg) in [
        (
            "name; DROP TABLE users eq 1",
            "unexpected character ';' at position 5",
        ),
        (
            "key_hash eq 'x'",
            "$filter: Unknown field 'key_hash' of 'api_key'",
        ),
        ("\"name\" eq 'x'", "unexpected character '\"' at position 1"),
        ("t0.name eq 'x'", "unexpected character '.' at position 3"),
        (
            "name eq 'x' or 1 eq 1",
            "$filter: a comparison needs a field on one side",
        ),
        (
            "substring(name,1) eq 'x'",
            "expected an operator (eq, ne, gt, ge, lt, le, in) at position 10",
        ),
    ] {
        assert_eq!(translate(&API_KEY, attack).unwrap_err().0, msg, "{attack}");
    }
    let err = parse_query("$select=id,(SELECT%20key_hash%20FROM%20api_keys)").unwrap_err();
    assert_eq!(
        err.0,
        "$select: invalid name \"(SELECT key_hash FROM api_keys)\" at position 4"
    );
}

#[test]
fn long_flat_filters_are_fine() {
    let long = vec!["id eq 1"; 500].join(" or ");
    let permission = translate(&API_KEY, "id eq 1").unwrap().1.len() - 1;
    assert_eq!(
        translate(&API_KEY, &long).unwrap().1.len(),
        500 + permission
    );
}

// ---- property tests ----

fn ident() -> impl Strategy<Value = String> {
    "[a-z_][a-z0-9_]{0,6}".prop_filter("not a keyword", |s| {
        !filter::is_keyword(s) && s != "any" && s != "all" && s != "datetime"
    })
}

fn literal() -> impl Strategy<Value = Literal> {
    prop_oneof![
        Just(Literal::Null),
        any::<bool>().prop_map(Literal::Bool),
        any::<i64>().prop_map(Literal::Int),
        ".{0,8}".prop_map(Literal::Str),
        "[0-9T:.Z' -]{0,12}".prop_map(Literal::DateTime),
    ]
}

fn path() -> impl Strategy<Value = Path> {
    prop::collection::vec(ident(), 1..4).prop_map(Path)
}

fn operand() -> impl Strategy<Value = Operand> {
    prop_oneof![
        path().prop_map(Operand::Path),
        literal().prop_map(Operand::Literal)
    ]
}

fn cmp() -> impl Strategy<Value = CmpOp> {
    prop::sample::select(vec![
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Gt,
        CmpOp::Ge,
        CmpOp::Lt,
        CmpOp::Le,
    ])
}

fn expr() -> impl Strategy<Value = Expr> {
    let leaf = prop_oneof![
        // A comparison needs no particular side to be a path for the parser.
        (operand(), cmp(), operand()).prop_map(|(l, op, r)| Expr::Compare(l, op, r)),
        (path(), prop::collection::vec(literal(), 1..4)).prop_map(|(p, l)| Expr::In(p, l)),
        (path(), any::<bool>()).prop_map(|(p, all)| Expr::Lambda {
            path: p,
            kind: if all {
                LambdaKind::All
            } else {
                LambdaKind::Any
            },
            body: None
        }),
    ];
    leaf.prop_recursive(6, 48, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(l, r)| Expr::And(Box::new(l), Box::new(r))),
            (inner.clone(), inner.clone()).prop_map(|(l, r)| Expr::Or(Box::new(l), Box::new(r))),
            inner.clone().prop_map(|e| Expr::Not(Box::new(e))),
            (path(), any::<bool>(), ident(), inner).prop_map(|(p, all, v, e)| Expr::Lambda {
                path: p,
                kind: if all {
                    LambdaKind::All
                } else {
                    LambdaKind::Any
                },
                body: Some((v, Box::new(e))),
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn printed_filters_parse_back_to_the_same_tree(e in expr()) {
        let printed = e.to_string();
        prop_assert_eq!(filter::parse(&printed), Ok(e), "{}", printed);
    }

    #[test]
    fn arbitrary_filters_never_panic(s in "\\PC{0,80}") {
        if let Ok(e) = filter::parse(&s) {
            let mut t = Translator::new(V7, &ME);
            let b = t.bind(&API_KEY);
            let _ = t.condition(&b, Some(&e));
        }
    }

    #[test]
    fn filter_like_noise_never_panics(s in "[a-z_ ()'/:,0-9-]{0,60}|(not |and |or |eq |any\\(|x/|'|\\)){0,30}") {
        if let Ok(e) = filter::parse(&s) {
            let mut t = Translator::new(V7, &ME);
            let b = t.bind(&API_KEY);
            let _ = t.condition(&b, Some(&e));
        }
    }

    #[test]
    fn arbitrary_query_strings_never_panic(s in "(\\$(filter|select|expand|orderby|top|skip)=)?[^&]{0,60}(&\\$expand=[a-z(;$=)]{0,30})?") {
        let _ = parse_query(&s);
    }
}

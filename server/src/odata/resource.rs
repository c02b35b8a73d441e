//! Declarative resource descriptors: what a client may name in a query, how it maps to SQL, and
//! which rows a caller may see. The translator only ever emits identifiers found here, so field
//! names from the URL never reach the SQL text.

/// Who is asking; permission predicates are written in terms of it.
#[derive(Debug, Clone, Copy)]
pub struct Principal {
    pub user_id: i64,
}

/// Bound parameters of one statement, numbered `$1, $2, ...` in push order.
#[derive(Debug, Default)]
pub struct Params(pub Vec<SqlValue>);

#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    Int(i64),
    Text(String),
    Bool(bool),
    /// SQL `NULL` (an absent optional value).
    Null,
}

impl Params {
    /// Adds a value and returns its placeholder.
    pub fn push(&mut self, v: SqlValue) -> String {
        self.0.push(v);
        format!("${}", self.0.len())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Int,
    Text,
    /// BIGINT milliseconds in the database, ISO 8601 with milliseconds on the wire.
    Date,
    // No served resource has a boolean yet (devices' `is_online` will); the engine's tests
    // cover it.
    #[cfg_attr(not(test), allow(dead_code))]
    Bool,
    /// A to-one foreign key, serialized as `{"__id": n}`; navigable (and expandable) when the
    /// named resource is in the catalog.
    Ref(&'static str),
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub column: &'static str,
    pub ty: FieldType,
}

/// A to-many navigation: rows of `target` whose `remote_column` holds this row's key.
#[derive(Debug)]
pub struct ToMany {
    pub name: &'static str,
    pub target: &'static str,
    pub remote_column: &'static str,
}

/// Fields a caller may read only on rows they own (a user's `email`): on anyone else's row the
/// field is NULL everywhere the engine uses it, in `$select`, `$expand`, `$filter` and
/// `$orderby`, so it can be neither read nor probed.
#[derive(Debug)]
pub struct Private {
    /// The column holding the owning user's id.
    pub owner_column: &'static str,
    pub fields: &'static [&'static str],
}

/// SQL that is true for the rows of the table aliased `alias` the principal may see.
pub type Permission = fn(&Principal, &str, &mut Params) -> String;

/// A name/value table of a device or application: each has its own parent, key field,
/// unique index and member types that may write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pair {
    DeviceTag,
    DeviceVariable,
    /// An application's (fleet-wide) environment variable.
    FleetVariable,
}

/// How a resource is created, by rule (each one is written once, in `routes::writes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    Application,
    /// Adding a member names an account, so failures are limited per caller.
    ApplicationMember,
    OrganizationMember,
    Device,
    Pair(Pair),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Patch {
    Organization,
    ApplicationMember,
    OrganizationMember,
    Device,
    Pair(Pair),
    ApiKey,
    /// Only asking for the verification email again.
    UserVerification,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delete {
    Application,
    ApplicationMember,
    OrganizationMember,
    Device,
    Pair(Pair),
    ApiKey,
    /// The caller's own account, with everything it owns.
    Account,
}

/// Which writes a resource takes; `None` is refused like pine's permission check (401).
#[derive(Debug, Clone, Copy)]
pub struct Writes {
    pub create: Option<Create>,
    pub patch: Option<Patch>,
    pub delete: Option<Delete>,
}

impl Writes {
    pub const READ_ONLY: Self = Self {
        create: None,
        patch: None,
        delete: None,
    };
}

#[derive(Debug)]
pub struct Resource {
    pub name: &'static str,
    pub table: &'static str,
    /// The integer primary key column; also the `id` field.
    pub key: &'static str,
    pub fields: &'static [Field],
    pub to_many: &'static [ToMany],
    pub private: Option<Private>,
    pub permission: Permission,
    pub writes: Writes,
}

impl Resource {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        // `fields` is 'static, so the lookup result is too.
        let fields: &'static [Field] = self.fields;
        fields.iter().find(|f| f.name == name)
    }

    pub fn to_many(&self, name: &str) -> Option<&'static ToMany> {
        let navs: &'static [ToMany] = self.to_many;
        navs.iter().find(|n| n.name == name)
    }
}

/// The resources one API version serves.
#[derive(Debug, Clone, Copy)]
pub struct Catalog(pub &'static [&'static Resource]);

impl Catalog {
    pub fn get(&self, name: &str) -> Option<&'static Resource> {
        self.0.iter().copied().find(|r| r.name == name)
    }
}

/// The version of Anneal's tables in a PostgreSQL database — the tuning
/// storage's and the sweep cells' together, since one binary holds both —
/// and the one way a storage creates or upgrades its tables.
public enum AnnealSchema {
  /// The schema version this binary writes and reads. 1: studies, trials,
  /// reservations, sweep cells; 2: trial heartbeats and the worker-lost flag;
  /// 3: the work queue (`work_items`), which sweeps and studies claim from.
  public static let version = 3

  /// In one transaction, under an advisory lock (so concurrent first users
  /// do not race): creates the version table, refuses a database written by
  /// a newer binary, runs `createTables` (idempotent statements: `CREATE
  /// TABLE IF NOT EXISTS`, `ADD COLUMN IF NOT EXISTS`) and records
  /// `version`.
  public static func prepare(
    _ db: PostgresConnection, createTables: () throws -> Void
  ) throws {
    try db.transaction {
      try db.execute("SELECT pg_advisory_xact_lock(7036417)")
      try db.execute("CREATE TABLE IF NOT EXISTS anneal_schema (version integer NOT NULL)")
      let found = try db.execute("SELECT max(version) FROM anneal_schema").rows.first?[0] ?? nil
      if let found, let v = Int(found), v > version {
        throw PostgresError(
          message: "the database holds Anneal storage schema version \(v), newer than this "
            + "binary's \(version): upgrade anneal to use it")
      }
      try createTables()
      if found == nil {
        try db.execute("INSERT INTO anneal_schema (version) VALUES ($1)", [String(version)])
      } else {
        try db.execute("UPDATE anneal_schema SET version = $1", [String(version)])
      }
    }
  }
}

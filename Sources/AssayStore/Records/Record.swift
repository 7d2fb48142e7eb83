import GRDB

/// Column naming shared by every record: Swift camelCase properties, snake_case columns.
public protocol AssayRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {}

extension AssayRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}

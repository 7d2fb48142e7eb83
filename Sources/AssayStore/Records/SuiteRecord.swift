import Foundation
import GRDB

/// A row of `suite`: one version (by content hash) of a suite file.
public struct SuiteRecord: AssayRecord, Identifiable {
    public static let databaseTableName = "suite"
    public var id: Int64?
    public var name: String
    public var task: String
    public var version: Int
    public var contentSha256: String
    public var itemCount: Int
    public var file: String
    public var loadedAt: Date

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `item`: one question of one suite version.
public struct ItemRecord: AssayRecord, Identifiable {
    public static let databaseTableName = "item"
    public var id: Int64?
    public var suiteId: Int64
    public var itemKey: String
    public var promptSha256: String
    public var cluster: String?
    public var difficulty: Int?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

import Foundation
import GRDB

/// A row of `suite`: one version (by content hash) of a suite file.
package struct SuiteRecord: AssayRecord, Identifiable {
    package static let databaseTableName = "suite"
    package var id: Int64?
    package var name: String
    package var task: String
    package var version: Int
    package var contentSha256: String
    package var itemCount: Int
    package var file: String
    package var loadedAt: Date

    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `item`: one question of one suite version.
package struct ItemRecord: AssayRecord, Identifiable {
    package static let databaseTableName = "item"
    package var id: Int64?
    package var suiteId: Int64
    package var itemKey: String
    package var promptSha256: String
    package var cluster: String?
    package var difficulty: Int?

    package mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

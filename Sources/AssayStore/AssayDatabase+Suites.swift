import AssayCore
import Foundation
import GRDB

extension AssayDatabase {
    /// A suite version as stored: its row and the row id of each item, by item key.
    package struct StoredSuite: Sendable {
        package var record: SuiteRecord
        package var itemIDs: [String: Int64]
    }

    /// An item to store with its suite.
    package struct ItemInput: Sendable {
        package var key: String
        package var promptSHA256: String
        package var cluster: String?
        package var difficulty: Int?

        package init(key: String, promptSHA256: String, cluster: String?, difficulty: Int?) {
            self.key = key
            self.promptSHA256 = promptSHA256
            self.cluster = cluster
            self.difficulty = difficulty
        }
    }

    /// Stores a suite version (by content hash) and its items, or returns the stored one.
    package func storeSuite(name: String, task: String, version: Int, contentSHA256: String, file: String,
                           items: [ItemInput]) throws -> StoredSuite {
        try writing { db in
            var record: SuiteRecord
            if let existing = try SuiteRecord.filter(Column("name") == name && Column("content_sha256") == contentSHA256)
                .fetchOne(db) {
                // Loaded again now: this content is the suite's current version (also after a revert).
                record = existing
                record.loadedAt = Date()
                try record.update(db)
            } else {
                record = SuiteRecord(id: nil, name: name, task: task, version: version, contentSha256: contentSHA256,
                                     itemCount: items.count, file: file, loadedAt: Date())
                try record.insert(db)
            }
            let suiteID = record.id!
            var ids: [String: Int64] = [:]
            for row in try ItemRecord.filter(Column("suite_id") == suiteID).fetchAll(db) { ids[row.itemKey] = row.id }
            let insert = try db.cachedStatement(
                sql: "INSERT INTO item (suite_id, item_key, prompt_sha256, cluster, difficulty) VALUES (?, ?, ?, ?, ?)")
            for item in items where ids[item.key] == nil {
                try insert.execute(arguments: [suiteID, item.key, item.promptSHA256, item.cluster, item.difficulty])
                ids[item.key] = db.lastInsertedRowID
            }
            return StoredSuite(record: record, itemIDs: ids)
        }
    }

    /// Records that a model was seen now (inserting it on first sight).
    package func touchModel(_ ref: ModelRef, at date: Date = Date()) throws {
        try writing { db in
            if var existing = try ModelRecord.filter(Column("provider") == ref.provider && Column("name") == ref.model)
                .fetchOne(db) {
                existing.lastSeen = date
                existing.status = "active"
                try existing.update(db)
            } else {
                var record = ModelRecord(provider: ref.provider, name: ref.model, firstSeen: date, lastSeen: date)
                try record.insert(db)
            }
        }
    }
}

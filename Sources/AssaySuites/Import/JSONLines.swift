import AssayCore
import Foundation

/// Reads a JSON Lines file (optionally gzip-compressed, as HumanEval ships) into objects,
/// reporting the line of any record that is not a JSON object.
enum JSONLines {
    static func read(file path: String) throws -> [(line: Int, object: [String: JSONValue])] {
        guard var data = FileManager.default.contents(atPath: path) else {
            throw AssayError(.notFound, "cannot read \(path)")
        }
        if data.starts(with: [0x1f, 0x8b]) { data = try gunzip(path) }
        var records: [(Int, [String: JSONValue])] = []
        for (index, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            guard let object = JSONValue(parsing: String(line))?.objectValue else {
                throw AssayError(.suite, "\(path):\(index + 1): not a JSON object")
            }
            records.append((index + 1, object))
        }
        return records
    }

    /// Foundation has no gzip reader on Linux; `gzip -dc` is everywhere.
    private static func gunzip(_ path: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw AssayError(.suite, "\(path): not a readable gzip file") }
        return data
    }

    /// The string field `key` of a record, or an error naming file, line and field.
    static func string(_ record: [String: JSONValue], _ key: String, file: String, line: Int) throws -> String {
        guard let value = record[key]?.stringValue else {
            throw AssayError(.suite, "\(file):\(line): field '\(key)' is missing or not a string")
        }
        return value
    }
}

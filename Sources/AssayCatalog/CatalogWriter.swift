import AssayCatalogFormat
import AssayCore
import Foundation

/// Writes the catalog's artifacts atomically (temp file + rename), so a reader such as the
/// router never sees a half-written catalog.
public enum CatalogWriter {
    public struct Written: Sendable {
        public var jsonPath: String
        package var markdownPath: String
        package var sha256: String
    }

    public static func write(_ document: CatalogDocument, to directory: String) throws -> Written {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            // Compact: pretty-printed, the router's sparse vectors take a line per number.
            let encoder = CatalogDocument.encoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let json = try encoder.encode(document)
            let jsonPath = (directory as NSString).appendingPathComponent("catalog.json")
            let markdownPath = (directory as NSString).appendingPathComponent("CATALOG.md")
            try writeAtomically(json + Data("\n".utf8), to: jsonPath)
            try writeAtomically(Data(CatalogMarkdown.render(document).utf8), to: markdownPath)
            try writeAtomically(Data(CatalogSchema.text.utf8), to: (directory as NSString).appendingPathComponent("catalog.schema.json"))
            try writeAtomically(Data(CatalogHTML.render(document).utf8), to: (directory as NSString).appendingPathComponent("index.html"))
            return Written(jsonPath: jsonPath, markdownPath: markdownPath, sha256: document.contentSha256)
        } catch let error as AssayError {
            throw error
        } catch {
            throw AssayError(.io, "cannot write the catalog into \(directory): \(error.localizedDescription)")
        }
    }

    static func writeAtomically(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw AssayError(.io, "cannot create \(temporary)", hint: "check that the folder exists and is writable")
        }
        if rename(temporary, path) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)
            throw AssayError(.io, "cannot replace \(path) (errno \(errno))")
        }
    }
}

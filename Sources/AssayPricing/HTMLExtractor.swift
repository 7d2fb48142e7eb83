import AssayCore
import AssayStore

/// Reads prices out of an HTML page as its `HTMLExtractorSpec` declares.
public struct HTMLExtractor: Sendable {
    public var spec: HTMLExtractorSpec
    /// The provider part of every model ref read.
    public var provider: String

    public init(spec: HTMLExtractorSpec, provider: String) {
        self.spec = spec
        self.provider = provider
    }

    public func extract(html bytes: [UInt8], url: String) throws -> SourceRead {
        let document = try HTMLDocument(bytes: bytes, url: url)
        var tables = try document.select(spec.table)
        tables = tables.flatMap { HTMLDocument.name($0) == "table" ? [$0] : (try? document.select(".//table", from: $0)) ?? [] }
        var result = SourceRead()
        guard !tables.isEmpty else {
            result.layoutProblem = "\(url): no table matches the extractor's XPath \(spec.table); the page layout has changed"
            return result
        }
        var mismatches: [String] = []
        var seen: [ModelRef: [PriceObservation.Key: Int64]] = [:]
        for (index, node) in tables.enumerated() {
            var grid = TableGrid(table: node)
            if spec.layout == .columns { grid = grid.transposed }
            let read = read(grid, table: index + 1, url: url)
            if let mismatch = read.mismatch {
                mismatches.append(mismatch)
                continue
            }
            result.warnings += read.warnings
            result.entries += read.rows
            for observation in read.observations { result.add(observation, from: "\(url): table \(index + 1)", seen: &seen) }
        }
        if result.observations.isEmpty {
            let detail = mismatches.isEmpty ? "the matching tables have no priced rows" : mismatches.joined(separator: "; ")
            result.layoutProblem = "\(url): the page no longer matches its extractor: \(detail)"
        }
        return result
    }

    struct TableRead {
        var observations: [PriceObservation] = []
        var warnings: [String] = []
        var mismatch: String?
        var rows = 0
    }

    struct PriceColumn {
        var dimension: String
        var column: Int
        var header: String
        var tier: (min: Int?, max: Int?)?
    }

    /// The header may sit below a title row or two (`USD`, a caption): it is looked for in the
    /// first three rows.
    func read(_ grid: TableGrid, table: Int, url: String) -> TableRead {
        var first: TableRead?
        for offset in 0..<3 {
            let attempt = read(grid, headerAt: offset, table: table, url: url)
            if attempt.mismatch == nil { return attempt }
            if first == nil { first = attempt }
            if grid.rows.count <= offset + max(1, spec.headerRows) + 1 { break }
        }
        return first!
    }

    func read(_ grid: TableGrid, headerAt offset: Int, table: Int, url: String) -> TableRead {
        var read = TableRead()
        let headerRows = max(1, spec.headerRows)
        guard grid.rows.count > offset + headerRows else {
            read.mismatch = "table \(table) has no rows below its header"
            return read
        }
        let labels = HeaderMatcher(labels: (0..<(grid.rows.first?.count ?? 0)).map { column in
            var parts: [String] = []
            for row in grid.rows[offset..<(offset + headerRows)] where !row[column].isEmpty && parts.last != row[column] { parts.append(row[column]) }
            return parts.joined(separator: " ")
        })
        var missing: [String] = []
        let modelColumn = spec.model.isEmpty ? 0 : labels.column(spec.model)
        if modelColumn == nil { missing.append("model column '\(spec.model)'") }
        let tierColumn = spec.tier.flatMap { labels.column($0) }
        if let tier = spec.tier, tierColumn == nil { missing.append("tier column '\(tier)'") }
        var columns: [PriceColumn] = []
        for (dimension, headers) in spec.columns.sorted(by: { $0.key < $1.key }) {
            for header in headers {
                guard let column = labels.column(header) else {
                    missing.append("\(dimension) column '\(header)'")
                    continue
                }
                let tier = TextCleaner.tier(in: labels.labels[column]).map { ($0.min, $0.max) }
                columns.append(PriceColumn(dimension: dimension, column: column, header: labels.labels[column], tier: tier))
            }
        }
        guard let modelColumn, missing.isEmpty else {
            read.mismatch = "table \(table) has no \(missing.joined(separator: ", ")) (headers: \(labels.labels.filter { !$0.isEmpty }.map { "'\($0)'" }.joined(separator: ", ")))"
            return read
        }
        for (r, row) in grid.rows.enumerated().dropFirst(offset + headerRows) {
            let cell = row[modelColumn]
            // A section heading spans the whole row: every cell holds the same text.
            if cell.isEmpty || Set(row).count == 1 { continue }
            var name = cell
            var rowTier: (min: Int?, max: Int?)?
            if let tier = TextCleaner.tier(in: cell) {
                rowTier = (tier.min, tier.max)
                name = tier.rest
            }
            if let tierColumn, let tier = TextCleaner.tier(in: row[tierColumn]) { rowTier = (tier.min, tier.max) }
            read.rows += 1
            guard let model = modelRef(name) else {
                read.warnings.append("\(url): table \(table) row \(r + 1): cannot make a model id of '\(cell)'; row skipped")
                continue
            }
            let excerpt = sha256Hex(row.joined(separator: " | "))
            for column in columns {
                switch PriceText.parse(row[column.column], unit: spec.unit, currency: spec.currency) {
                case .absent:
                    continue
                case .invalid(let why):
                    read.warnings.append("\(url): table \(table) row \(r + 1) (\(model)), column '\(column.header)': \(why); price skipped")
                case .price(let nanos, let currency):
                    let tier = column.tier ?? rowTier
                    read.observations.append(PriceObservation(
                        model: model, dimension: column.dimension, nanosPerMTok: nanos, currency: currency,
                        tierMinTokens: tier?.min, tierMaxTokens: tier?.max, excerptSha256: excerpt))
                }
            }
        }
        return read
    }

    func modelRef(_ name: String) -> ModelRef? {
        let trimmed = name.trimmingSpacesAndPunctuation
        let id = spec.aliases[trimmed] ?? (spec.modelNames == .slug ? TextCleaner.slug(trimmed) : trimmed)
        guard !id.isEmpty, !provider.isEmpty else { return nil }
        return ModelRef(provider: provider, model: id)
    }
}

/// Finds a column by its header: an exact (case-insensitive) match, else the one header that
/// contains the text.
struct HeaderMatcher {
    var labels: [String]

    func column(_ wanted: String) -> Int? {
        let target = wanted.lowercased()
        if let exact = labels.firstIndex(where: { $0.lowercased() == target }) { return exact }
        let containing = labels.indices.filter { labels[$0].lowercased().contains(target) }
        return containing.count == 1 ? containing[0] : nil
    }
}

extension String {
    var trimmingSpacesAndPunctuation: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace || c == "-" || c == ":" { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace || c == "-" || c == ":" || c == "," { s = s.dropLast() }
        return String(s)
    }
}

extension HTMLExtractor {
    /// Parses `html` with libxml2 and frees it, extracting nothing: the parser's own cost, the
    /// baseline the pricing-parse benchmark compares extraction with.
    public static func parseOnly(html bytes: [UInt8], url: String) throws {
        _ = try HTMLDocument(bytes: bytes, url: url)
    }
}

import CLibXML2

/// A table as a grid of cell texts, merged cells (`rowspan`, `colspan`) repeated into every
/// slot they cover, as a reader sees them.
struct TableGrid {
    var rows: [[String]]

    static let maxSpan = 64

    init(rows: [[String]]) { self.rows = rows }

    init(table: xmlNodePtr) {
        var rowNodes: [xmlNodePtr] = []
        for child in HTMLDocument.children(table, named: ["tr", "thead", "tbody", "tfoot"]) {
            if HTMLDocument.name(child) == "tr" { rowNodes.append(child) } else { rowNodes += HTMLDocument.children(child, named: ["tr"]) }
        }
        var grid: [[String?]] = []
        for (r, row) in rowNodes.enumerated() {
            if grid.count <= r { grid.append([]) }
            var column = 0
            for cell in HTMLDocument.children(row, named: ["td", "th"]) {
                while column < grid[r].count, grid[r][column] != nil { column += 1 }
                let text = TextCleaner.stripFootnotes(HTMLDocument.text(cell))
                let rowSpan = Self.span(HTMLDocument.attribute(cell, "rowspan"))
                let colSpan = Self.span(HTMLDocument.attribute(cell, "colspan"))
                for dr in 0..<rowSpan {
                    let target = r + dr
                    guard target < rowNodes.count else { break }
                    while grid.count <= target { grid.append([]) }
                    for dc in 0..<colSpan {
                        let c = column + dc
                        while grid[target].count <= c { grid[target].append(nil) }
                        grid[target][c] = text
                    }
                }
                column += colSpan
            }
        }
        let width = grid.map(\.count).max() ?? 0
        rows = grid.map { row in (0..<width).map { $0 < row.count ? row[$0] ?? "" : "" } }
    }

    static func span(_ text: String?) -> Int {
        guard let text, let value = Int(text.filter(\.isASCIIDigitCharacter)), value > 0 else { return 1 }
        return min(value, maxSpan)
    }

    var transposed: TableGrid {
        let width = rows.first?.count ?? 0
        return TableGrid(rows: (0..<width).map { c in rows.map { $0[c] } })
    }
}

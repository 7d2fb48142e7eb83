import Foundation

/// Finds the code in a model's answer: a fenced block (preferring one tagged python, or one that
/// defines the entry point), or the whole response when it has no fence.
package enum CodeExtractor {
    package static func code(in response: String, entryPoint: String? = nil) -> String {
        let blocks = fencedBlocks(response)
        guard !blocks.isEmpty else { return response }
        if let entryPoint, let block = blocks.first(where: { $0.body.contains("def \(entryPoint)") || $0.body.contains("class \(entryPoint)") }) {
            return block.body
        }
        if let block = blocks.first(where: { ["python", "py", "python3"].contains($0.language) }) { return block.body }
        return blocks.max { $0.body.count < $1.body.count }!.body
    }

    struct Block { var language: String; var body: String }

    static func fencedBlocks(_ text: String) -> [Block] {
        var blocks: [Block] = []
        var current: (language: String, lines: [Substring])?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") {
                if let open = current {
                    blocks.append(Block(language: open.language, body: open.lines.joined(separator: "\n") + "\n"))
                    current = nil
                } else {
                    current = (trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased(), [])
                }
            } else if current != nil {
                current!.lines.append(line)
            }
        }
        return blocks
    }
}

import AssayCore

extension AnthropicWire {
    /// Neutral messages (no system ones) as Messages API turns: an assistant's tool calls
    /// become `tool_use` blocks after its text, and consecutive tool results join one user turn
    /// of `tool_result` blocks, as Anthropic requires.
    package static func messages(_ messages: [ChatRequest.Message]) -> [Message] {
        var turns: [Message] = []
        for message in messages {
            switch message.role {
            case .assistant where !message.toolCalls.isEmpty:
                let text: [ContentBlock] = message.content.isEmpty ? [] : [.init(type: "text", text: message.content)]
                turns.append(Message(role: "assistant", blocks: text + message.toolCalls.map(ContentBlock.toolUse)))
            case .tool:
                let block = ContentBlock.toolResult(id: message.toolCallID ?? "", content: message.content, isError: message.isError)
                if let last = turns.last, last.role == "user", last.content.allSatisfy({ $0.type == "tool_result" }) {
                    turns[turns.count - 1].content.append(block)
                } else {
                    turns.append(Message(role: "user", blocks: [block]))
                }
            case .assistant: turns.append(Message(role: "assistant", content: message.content))
            default: turns.append(Message(role: "user", content: message.content))
            }
        }
        return turns
    }

    /// Messages API turns as neutral messages: `tool_result` blocks become `tool` messages (one
    /// per block, before any text of the same turn), `tool_use` blocks the assistant's calls.
    package static func neutral(_ turns: [Message]) -> [ChatRequest.Message] {
        var messages: [ChatRequest.Message] = []
        for turn in turns {
            if turn.role == "assistant" {
                messages.append(.init(role: .assistant, content: turn.text, toolCalls: turn.content.compactMap(\.toolCall)))
                continue
            }
            for block in turn.content where block.type == "tool_result" {
                messages.append(.init(role: .tool, content: block.content?.text ?? "", toolCallID: block.toolUseId, isError: block.isError == true))
            }
            if turn.content.contains(where: { $0.type == "text" }) || turn.content.isEmpty {
                messages.append(.init(role: .user, content: turn.text))
            }
        }
        return messages
    }
}

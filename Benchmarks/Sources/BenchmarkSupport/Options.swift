import Foundation

/// The value after `flag` in `arguments`, if any.
public func option(_ flag: String, in arguments: [String]) -> String? {
    arguments.firstIndex(of: flag).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
}

/// Every value given after `flag` in `arguments` (a flag that may repeat).
public func options(_ flag: String, in arguments: [String]) -> [String] {
    arguments.indices.compactMap { arguments[$0] == flag && $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
}

public struct BenchmarkError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

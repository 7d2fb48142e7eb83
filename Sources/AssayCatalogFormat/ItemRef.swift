/// An item of a suite.
public struct ItemRef: Hashable, Comparable, Sendable {
    public var suite: String
    public var item: String

    public init(suite: String, item: String) {
        self.suite = suite
        self.item = item
    }

    /// `suite/item`, the item's name in the router's tables.
    public var key: String { suite + "/" + item }

    public static func < (a: ItemRef, b: ItemRef) -> Bool { (a.suite, a.item) < (b.suite, b.item) }
}

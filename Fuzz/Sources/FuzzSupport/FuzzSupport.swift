import CLibFuzzer

/// Helpers shared by the fuzz targets.

/// Runs libFuzzer (its flags and corpus folders in `argv`) on `callback`, one input per call.
public func runFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                      _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    var count = argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &arguments, callback)
}

/// Stops the run when a property fails: libFuzzer saves the input as a crash.
public func require(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fatalError("property failed: \(message())", file: file, line: line) }
}

/// The input as text, when it is UTF-8 (the loaders refuse other bytes before parsing).
public func utf8Text(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    String(validating: bytes, as: UTF8.self)
}

/// Splits `bytes` into chunks whose sizes cycle through `sizes` (each 1 or more): the same stream
/// delivered as a network might cut it.
public func chunks(_ bytes: ArraySlice<UInt8>, sizes: [Int]) -> [ArraySlice<UInt8>] {
    guard !sizes.isEmpty else { return [bytes] }
    var result: [ArraySlice<UInt8>] = []
    var start = bytes.startIndex
    var turn = 0
    while start < bytes.endIndex {
        let end = min(bytes.endIndex, start + max(1, sizes[turn % sizes.count]))
        result.append(bytes[start..<end])
        start = end
        turn += 1
    }
    return result
}

/// The first byte of an input chosen as a small parameter, the rest as the data.
public func split(_ bytes: UnsafeBufferPointer<UInt8>) -> (selector: UInt8, rest: ArraySlice<UInt8>) {
    guard let first = bytes.first else { return (0, []) }
    return (first, Array(bytes)[1...])
}

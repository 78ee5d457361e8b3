import Foundation
import NetaioWire

/// Locates files under the repository's Fixtures/ folder from this source file's path,
/// so tests work from any working directory.
public enum Fixtures {
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    public static func url(_ relative: String) -> URL { repositoryRoot.appendingPathComponent(relative) }

    /// All golden vectors (made by the real Python netaio 0.0.9; see scripts/gen-vectors.py).
    nonisolated(unsafe) public static let vectors: [[String: Any]] = {
        let data = try! Data(contentsOf: url("Fixtures/vectors/vectors.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [[String: Any]]
    }()

    public static func vectors(kind: String) -> [[String: Any]] {
        vectors.filter { $0["kind"] as? String == kind }
    }
}

/// Hex from a vector field (`null` → nil).
public func hexBytes(_ value: Any?) -> [UInt8]? {
    guard let text = value as? String else { return nil }
    return Hex.decode(text)
}

extension Dictionary where Key == String, Value == Any {
    /// A nested object of a vector (empty when absent).
    public subscript(object key: String) -> [String: Any] { self[key] as? [String: Any] ?? [:] }
    /// A vector's name.
    public var name: String { self["name"] as? String ?? "?" }
}

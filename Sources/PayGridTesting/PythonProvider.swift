import Foundation
import PayGridTesting
import Testing

/// Alipay and WeChat Pay played by Python's `cryptography`: an implementation independent of
/// PayGrid's that signs, encrypts and verifies as the providers do.
public enum PythonProvider {
    public static let available = PythonTool.has("cryptography")

    /// A new 2048-bit key pair, as PEM: `private` and `public`.
    public static let keyPair = "k = new_key()\nprint(json.dumps({'private': private_pem(k), 'public': public_pem(k)}))"

    /// A provider played by Python: `script` runs with the helpers below defined and prints JSON.
    public static func run(_ script: String, _ arguments: [String] = []) throws -> [String: Any] {
        let prelude = """
            import base64, json, sys, os
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import padding, rsa
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
            def new_key():
                return rsa.generate_private_key(public_exponent=65537, key_size=2048)
            def private_pem(key):
                return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()).decode()
            def public_pem(key):
                return key.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo).decode()
            def sign(key, text):
                return base64.b64encode(key.sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())).decode()
            def verify(pem, signature, text):
                key = serialization.load_pem_public_key(pem.encode())
                try:
                    key.verify(base64.b64decode(signature), text.encode(), padding.PKCS1v15(), hashes.SHA256())
                    return True
                except Exception:
                    return False

            """
        let (status, output) = try PythonTool.run(["-c", prelude + script] + arguments)
        try #require(status == 0, "\(output)")
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        return try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
    }
}

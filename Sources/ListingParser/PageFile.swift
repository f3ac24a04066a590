#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a page file whole and tells a page from something that is not one, as input issues rather than errors.
enum PageFile {
  struct Problem: Error {
    var kind: InputIssue.Kind
    var message: String
  }

  /// The file's bytes, or why there are none: missing, a directory, unreadable, empty or binary.
  static func load(_ path: String) -> Result<[UInt8], Problem> {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      let code = errno
      if code == ENOENT || code == ENOTDIR {
        return .failure(
          Problem(kind: .missingFile, message: "detail page not found; `detail_page` is relative to the feed's folder"))
      }
      return .failure(Problem(kind: .unreadableFile, message: "cannot open page: \(describe(code))"))
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      return .failure(Problem(kind: .unreadableFile, message: "cannot stat page: \(describe(errno))"))
    }
    guard status.st_mode & S_IFMT == S_IFREG else {
      let what = status.st_mode & S_IFMT == S_IFDIR ? "a directory" : "not a regular file"
      return .failure(Problem(kind: .unreadableFile, message: "page is \(what)"))
    }
    // One byte more than the file's size, so the read that finds the end needs no second buffer; read into the
    // array's storage as it is, not zeroed first. A file that grew since fstat gets room as it goes.
    let expected = max(Int(status.st_size), 0) + 1
    var failure: Int32 = 0
    var bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, initialized in
      initialized = 0
      failure = readAll(descriptor, into: buffer, filled: &initialized)
    }
    var full = bytes.count == expected
    while failure == 0, full {
      let filled = bytes.count
      bytes.append(contentsOf: repeatElement(0, count: 65_536))
      var read = 0
      failure = bytes.withUnsafeMutableBufferPointer { buffer in
        readAll(descriptor, into: UnsafeMutableBufferPointer(rebasing: buffer[filled...]), filled: &read)
      }
      bytes.removeSubrange((filled + read)...)
      full = read == 65_536
    }
    if failure != 0 {
      return .failure(Problem(kind: .unreadableFile, message: "cannot read page: \(describe(failure))"))
    }
    if bytes.isEmpty { return .failure(Problem(kind: .unreadableFile, message: "page is empty")) }
    if let reason = binaryReason(bytes) { return .failure(Problem(kind: .binaryFile, message: reason)) }
    return .success(bytes)
  }

  /// Reads until `buffer` is full or the file ends, counting bytes read in `filled`; returns errno on failure, else 0.
  private static func readAll(
    _ descriptor: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>, filled: inout Int
  ) -> Int32 {
    while filled < buffer.count {
      let count = read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
      if count < 0 {
        if errno == EINTR { continue }
        return errno
      }
      if count == 0 { break }
      filled += count
    }
    return 0
  }

  /// Why `bytes` are not text, or nil. Text never holds NUL, and pages in any encoding the auditor reads (UTF-8,
  /// GB18030) hold few other C0 controls; images, archives and UTF-16 files fail one test or the other.
  static func binaryReason(_ bytes: [UInt8]) -> String? {
    let (hasNUL, controls, sampled) = bytes.withUnsafeBufferPointer { buffer in
      var hasNUL = false
      var controls = 0
      let sampled = min(buffer.count, 8_192)
      let raw = UnsafeRawBufferPointer(buffer)
      var index = 0
      while index < sampled {
        // Eight bytes at a time while none is below 0x20 or is 0x7F (all of most pages but their line breaks).
        if index + 8 <= sampled {
          let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
          let ones: UInt64 = 0x0101_0101_0101_0101
          let below20 = (word &- ones &* 0x20) & ~word
          let del = word ^ (ones &* 0x7F)
          if (below20 | ((del &- ones) & ~del)) & (ones &* 0x80) == 0 {
            index += 8
            continue
          }
        }
        let byte = buffer[index]
        index += 1
        guard byte < 0x20 || byte == 0x7F else { continue }
        if byte == 0 && index <= 4_096 { hasNUL = true }
        if byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x0C { controls += 1 }
      }
      return (hasNUL, controls, sampled)
    }
    if hasNUL { return "page holds NUL bytes: not text" }
    if controls * 10 > sampled { return "page is mostly control bytes: not text" }
    return nil
  }

  private static func describe(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
  }
}

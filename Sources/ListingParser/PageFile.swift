import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a page file whole and tells a page from something that is not one, as input issues rather than errors.
///
/// Nothing that is not a regular file is ever opened for reading in a way that could block (a FIFO would wait for a
/// writer forever), a page whose real path leaves the feed's folder is not read at all, and a page above the size
/// limit is refused from its size, not after reading it.
enum PageFile {
  struct Problem: Error {
    var kind: InputIssue.Kind
    var message: String
  }

  /// The default of `--max-page-bytes`: real detail pages are a few hundred KB; 16 MiB leaves room for inlined
  /// images while a run with several such pages on every core stays within a few GB.
  static let defaultMaxBytes = 16 * 1024 * 1024

  /// The file's bytes, or why there are none: missing, not a regular file, outside `folder` (when given, after
  /// following symbolic links), above `maxBytes`, unreadable, empty or binary.
  static func load(_ path: String, confinedTo folder: String? = nil, maxBytes: Int = defaultMaxBytes) -> Result<
    [UInt8], Problem
  > {
    var target = path
    var realFolder: String?
    if let folder {
      guard let root = realFolderPath(folder) else {
        return .failure(Problem(kind: .unreadableFile, message: "cannot resolve the feed's folder: \(describe(errno))"))
      }
      realFolder = root
      // Where the kernel can say which file an open descriptor is, that check after opening is the one that holds,
      // and resolving the path first (a readlink per component, a dozen system calls a page) is left to the rare
      // page that is no regular file, so that one outside the folder is still reported as outside.
      if !canTellOpenedPath {
        switch confine(path, to: root) {
        case .success(let resolved): target = resolved
        case .failure(let problem): return .failure(problem)
        }
      }
    }
    // stat before open: a FIFO, socket or device is refused without opening it at all.
    var status = stat()
    guard stat(target, &status) == 0 else { return .failure(openFailure(errno)) }
    if let problem = notRegular(status) {
      if let realFolder, canTellOpenedPath, case .failure(let outside) = confine(path, to: realFolder) {
        return .failure(outside)
      }
      return .failure(problem)
    }
    // O_NONBLOCK in case the file was swapped for a FIFO since stat: the open must not wait for a writer.
    let descriptor = open(target, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
    guard descriptor >= 0 else { return .failure(openFailure(errno)) }
    defer { close(descriptor) }
    guard fstat(descriptor, &status) == 0 else {
      return .failure(Problem(kind: .unreadableFile, message: "cannot stat page: \(describe(errno))"))
    }
    if let problem = notRegular(status) { return .failure(problem) }
    if let realFolder, let opened = openedPath(descriptor), !isInside(opened, realFolder) {
      return .failure(escaped(opened))
    }
    let size = max(Int(status.st_size), 0)
    guard size <= maxBytes else { return .failure(tooLarge(size, maxBytes)) }
    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
    // One byte more than the file's size, so the read that finds the end needs no second buffer; read into the
    // array's storage as it is, not zeroed first. A file that grew since fstat gets room as it goes, up to one byte
    // past the limit, which is enough to know it is over.
    let expected = size + 1
    var failure: Int32 = 0
    var bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, initialized in
      initialized = 0
      failure = readAll(descriptor, into: buffer, filled: &initialized)
    }
    var full = bytes.count == expected
    while failure == 0, full, bytes.count <= maxBytes {
      let filled = bytes.count
      let room = min(65_536, maxBytes + 1 - filled)
      bytes.append(contentsOf: repeatElement(0, count: room))
      var read = 0
      failure = bytes.withUnsafeMutableBufferPointer { buffer in
        readAll(descriptor, into: UnsafeMutableBufferPointer(rebasing: buffer[filled...]), filled: &read)
      }
      bytes.removeSubrange((filled + read)...)
      full = read == room
    }
    if failure != 0 {
      return .failure(Problem(kind: .unreadableFile, message: "cannot read page: \(describe(failure))"))
    }
    if bytes.count > maxBytes { return .failure(tooLarge(bytes.count, maxBytes, grew: true)) }
    if bytes.isEmpty { return .failure(Problem(kind: .unreadableFile, message: "page is empty")) }
    if let reason = binaryReason(bytes) { return .failure(Problem(kind: .binaryFile, message: reason)) }
    return .success(bytes)
  }

  /// `path` with every symbolic link followed, or an `unsafe_path` problem when that is not inside `root` (the
  /// feed's folder, resolved): a link in the feed's folder (`pages/a.html -> /etc/passwd`, or `pages -> /elsewhere`)
  /// would otherwise have the auditor read, and quote as evidence, a file the feed merely names.
  private static func confine(_ path: String, to root: String) -> Result<String, Problem> {
    guard let resolved = realPath(path) else { return .failure(openFailure(errno)) }
    guard isInside(resolved, root) else { return .failure(escaped(resolved)) }
    return .success(resolved)
  }

  /// The last feed folder resolved, and its real path: every page of a feed shares its folder, and resolving it
  /// for each page cost a readlink per component of its path. One entry, so a long-running server that reads
  /// uploads in ever new folders keeps no list of them.
  private static let lastFolder = Mutex<(folder: String, root: String)?>(nil)

  /// `folder` with every symbolic link followed (the empty folder is the working directory), or nil with `errno`
  /// set.
  private static func realFolderPath(_ folder: String) -> String? {
    if let last = lastFolder.withLock({ $0 }), last.folder == folder { return last.root }
    guard let root = realPath(folder.isEmpty ? "." : folder) else { return nil }
    lastFolder.withLock { $0 = (folder, root) }
    return root
  }

  private static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  /// Whether `openedPath` can tell the path behind a descriptor on this system.
  #if os(Linux)
    private static let canTellOpenedPath = true
  #else
    private static let canTellOpenedPath = false
  #endif

  /// The path the kernel opened `descriptor` at, so a link swapped in after `realpath` is caught too; nil where the
  /// system cannot tell (then the `realpath` check before opening is what holds).
  private static func openedPath(_ descriptor: Int32) -> String? {
    #if os(Linux)
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let count = readlink("/proc/self/fd/\(descriptor)", &buffer, buffer.count - 1)
      guard count > 0 else { return nil }
      return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    #else
      return nil
    #endif
  }

  private static func isInside(_ path: String, _ root: String) -> Bool {
    root == "/" || path.hasPrefix(root + "/")
  }

  private static func escaped(_ resolved: String) -> Problem {
    Problem(
      kind: .unsafePath,
      message: "page resolves to \(resolved), outside the feed's folder (a symbolic link?); keep pages inside the "
        + "feed's folder — not read")
  }

  private static func tooLarge(_ size: Int, _ limit: Int, grew: Bool = false) -> Problem {
    let what = grew ? "page grew past \(limit) bytes while being read" : "page is \(size) bytes"
    return Problem(
      kind: .tooLarge, message: "\(what), above the limit of \(limit) (--max-page-bytes) — not read")
  }

  private static func openFailure(_ code: Int32) -> Problem {
    if code == ENOENT || code == ENOTDIR {
      return Problem(
        kind: .missingFile, message: "detail page not found; `detail_page` is relative to the feed's folder")
    }
    return Problem(kind: .unreadableFile, message: "cannot open page: \(describe(code))")
  }

  /// Why a file of this type is no page, or nil for a regular file.
  private static func notRegular(_ status: stat) -> Problem? {
    let what: String
    switch status.st_mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFDIR: what = "a directory"
    case S_IFIFO: what = "a FIFO (named pipe), not a regular file"
    case S_IFSOCK: what = "a socket, not a regular file"
    case S_IFCHR, S_IFBLK: what = "a device, not a regular file"
    default: what = "not a regular file"
    }
    return Problem(kind: .unreadableFile, message: "page is \(what)")
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

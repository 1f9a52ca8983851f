//! The control-device protocol against fake devices: an in-memory one and a Unix socket
//! whose other end plays the kernel.

use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::thread;

use lunatik_cli::protocol::{values, Device, Error, Reply};

/// Records what is written and answers each write with the next reply, handed out at most
/// `piece` bytes per read, then end of file.
struct FakeDevice {
    replies: Vec<Vec<u8>>,
    current: Vec<u8>,
    piece: usize,
    requests: Vec<Vec<u8>>,
    reads: usize,
}

impl FakeDevice {
    fn new(replies: &[&[u8]], piece: usize) -> Self {
        FakeDevice {
            replies: replies.iter().rev().map(|r| r.to_vec()).collect(),
            current: Vec::new(),
            piece,
            requests: Vec::new(),
            reads: 0,
        }
    }
}

impl Write for FakeDevice {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.requests.push(buf.to_vec());
        self.current = self.replies.pop().unwrap_or_default();
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Read for FakeDevice {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reads += 1;
        let n = self.current.len().min(buf.len()).min(self.piece);
        buf[..n].copy_from_slice(&self.current[..n]);
        self.current.drain(..n);
        Ok(n)
    }
}

fn device(replies: &[&[u8]], piece: usize) -> Device<FakeDevice> {
    Device::new(FakeDevice::new(replies, piece), Path::new("/dev/fake"))
}

#[test]
fn success_reply_gives_its_values() {
    let mut dev = device(&[b"+2"], 4096);
    assert_eq!(
        dev.request(b"return 1+1").unwrap(),
        Reply::Values(b"2".to_vec())
    );
}

#[test]
fn request_is_sent_as_one_write_of_the_whole_chunk() {
    let mut dev = device(&[b"+"], 4096);
    dev.request(b"local x = 1\nreturn x").unwrap();
    assert_eq!(dev.get_ref().requests, [b"local x = 1\nreturn x".to_vec()]);
}

#[test]
fn success_reply_without_results_has_no_values() {
    let mut dev = device(&[b"+"], 4096);
    let reply = dev.request(b"x = 1").unwrap();
    assert_eq!(reply, Reply::Values(Vec::new()));
    let Reply::Values(payload) = reply else {
        unreachable!()
    };
    assert!(values(&payload).is_empty());
}

#[test]
fn several_results_are_tab_separated() {
    let mut dev = device(&[b"+1\ttwo\t\tnil"], 4096);
    let Reply::Values(payload) = dev.request(b"return 1, 'two', '', nil").unwrap() else {
        panic!("error reply")
    };
    assert_eq!(values(&payload), [&b"1"[..], b"two", b"", b"nil"]);
}

#[test]
fn error_reply_gives_the_kernel_message_verbatim() {
    let message = b"-[string \"error('boom')\"]:1: boom\nstack traceback:\n\t[C]: in ?";
    let mut dev = device(&[message], 4096);
    assert_eq!(
        dev.request(b"error('boom')").unwrap(),
        Reply::Error(message[1..].to_vec())
    );
}

#[test]
fn long_reply_is_read_in_pieces_until_end_of_file() {
    let mut long = b"+".to_vec();
    long.extend(std::iter::repeat_n(b'x', 100_000));
    let mut dev = device(&[&long], 7);
    assert_eq!(
        dev.request(b"return ('x'):rep(100000)").unwrap(),
        Reply::Values(long[1..].to_vec())
    );
    assert!(dev.get_ref().reads > 100_000 / 7);
}

#[test]
fn device_at_end_of_file_at_once_is_an_empty_reply() {
    let mut dev = device(&[b""], 4096);
    let e = dev.request(b"return 1").unwrap_err();
    assert!(matches!(e, Error::EmptyReply), "{e:?}");
    assert_eq!(e.to_string(), "the device sent an empty reply");
}

#[test]
fn reply_with_another_first_byte_is_malformed() {
    let mut dev = device(&[b"2"], 4096);
    let e = dev.request(b"return 2").unwrap_err();
    assert_eq!(
        e.to_string(),
        "the device sent a reply starting with byte 0x32, not '+' or '-'"
    );
}

#[test]
fn one_open_device_serves_several_requests_in_turn() {
    let mut dev = device(&[b"+1", b"-oops", b"+3"], 2);
    assert_eq!(
        dev.request(b"return 1").unwrap(),
        Reply::Values(b"1".to_vec())
    );
    assert_eq!(
        dev.request(b"error'oops'").unwrap(),
        Reply::Error(b"oops".to_vec())
    );
    assert_eq!(
        dev.request(b"return 3").unwrap(),
        Reply::Values(b"3".to_vec())
    );
}

/// A writer that takes only part of each write, as a device must never do with a request.
struct ShortWriter;

impl Write for ShortWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Ok(buf.len() / 2)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Read for ShortWriter {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        Ok(0)
    }
}

#[test]
fn partial_write_is_an_error_not_a_second_request() {
    let mut dev = Device::new(ShortWriter, Path::new("/dev/fake"));
    let e = dev.request(b"return 1234").unwrap_err();
    assert_eq!(e.to_string(), "the device took 5 of the request's 11 bytes");
}

/// Plays the kernel on the far end of a socket: reads one request, answers in pieces.
fn kernel_over_socket(reply: Vec<u8>, piece: usize) -> (UnixStream, thread::JoinHandle<Vec<u8>>) {
    let (ours, mut theirs) = UnixStream::pair().unwrap();
    let kernel = thread::spawn(move || {
        let mut request = vec![0; 4096];
        let n = theirs.read(&mut request).unwrap();
        request.truncate(n);
        for part in reply.chunks(piece) {
            theirs.write_all(part).unwrap();
        }
        theirs.shutdown(std::net::Shutdown::Write).unwrap();
        request
    });
    (ours, kernel)
}

#[test]
fn socket_device_reply_in_pieces_is_read_whole() {
    let mut reply = b"+".to_vec();
    reply.extend((0..50_000).map(|i| b'a' + (i % 26) as u8));
    let (socket, kernel) = kernel_over_socket(reply.clone(), 1000);
    let mut dev = Device::new(socket, Path::new("/dev/socket"));
    assert_eq!(
        dev.request(b"return big()").unwrap(),
        Reply::Values(reply[1..].to_vec())
    );
    assert_eq!(kernel.join().unwrap(), b"return big()");
}

#[test]
fn socket_device_closed_without_a_reply_is_an_empty_reply() {
    let (socket, kernel) = kernel_over_socket(Vec::new(), 1);
    let mut dev = Device::new(socket, Path::new("/dev/socket"));
    assert!(matches!(dev.request(b"return 1"), Err(Error::EmptyReply)));
    kernel.join().unwrap();
}

#[test]
fn missing_device_names_the_path_and_suggests_loading() {
    let Err(e) = Device::open(Path::new("/nonexistent/lunatik")) else {
        panic!("opened")
    };
    assert_eq!(
        e.to_string(),
        "/nonexistent/lunatik: No such file or directory (is the module loaded? `lunatik load` loads it)"
    );
}

#[test]
fn parse_rejects_nothing_and_accepts_both_signs() {
    assert!(matches!(Reply::parse(Vec::new()), Err(Error::EmptyReply)));
    assert_eq!(
        Reply::parse(b"+".to_vec()).unwrap(),
        Reply::Values(Vec::new())
    );
    assert_eq!(
        Reply::parse(b"-".to_vec()).unwrap(),
        Reply::Error(Vec::new())
    );
}

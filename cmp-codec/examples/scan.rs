fn main() {
    for path in std::env::args().skip(1) {
        let der = std::fs::read(&path).unwrap();
        match cmp_codec::PKIMessage::parse(&der) {
            Ok(m) => {
                let re = m.encode();
                println!("OK   {} {} roundtrip={}", m.body.name(), path, re == der);
            }
            Err(e) => println!("ERR  {path}: {e}"),
        }
    }
}

use tilmelding_pgtest::{Cluster, Durability};

#[test]
fn a_cluster_starts_answers_and_leaves_nothing_behind() {
    let c = Cluster::start(Durability::Fast).unwrap();
    let url = c.database();
    assert_eq!(c.psql(&url, "SELECT 40 + 2"), "42");
    assert_eq!(c.psql(&url, "SHOW fsync"), "off");
    let data = c.psql(&url, "SHOW data_directory");
    let port = c.port();
    drop(c);
    assert!(!std::path::Path::new(&data).exists(), "{data} deleted");
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "stopped"
    );
}

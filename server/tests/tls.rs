//! The server on PostgreSQL over TLS (`sslmode=require`): the connection is encrypted and the
//! database's certificate verified against `TILMELDING_DATABASE_CA`; a certificate the server
//! cannot verify stops it at start, with the reason. Its own cluster, with a CA of its own.

mod common;
use common::{Db, TOKEN, TestServer, meetings, registration};
use tilmelding_pgtest::{Cluster, Durability};
use tilmelding_server::store::{Location, Store};

#[tokio::test]
async fn the_server_talks_to_postgresql_over_verified_tls() {
    let cluster = Cluster::start_tls(Durability::Fast).unwrap();
    let plain = cluster.database();
    let url = format!("{plain}?sslmode=require");
    let ca = cluster.ca().unwrap().to_path_buf();
    let s = TestServer::configured(
        meetings(|_| {}),
        Some(Db::Postgres(url.clone())),
        Some(TOKEN),
        |c| c.database_ca = Some(ca),
    )
    .await;
    let (status, body) = s.register(&registration(730, "tls", 2)).await;
    assert_eq!(status, 201, "{body}");
    let encrypted = cluster.psql(
        &plain,
        "SELECT COUNT(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
         WHERE s.ssl AND a.datname = current_database() AND a.pid <> pg_backend_pid()",
    );
    assert!(
        encrypted.parse::<u32>().unwrap() > 0,
        "the server's connections use TLS"
    );
    assert_eq!(
        cluster.psql(&plain, "SELECT COUNT(*) FROM registrations"),
        "2"
    );

    // Without the CA, the certificate is not trusted: no connection, and the error says why.
    let refused = Store::open(&Location::Postgres { url, ca: None }).await;
    let error = refused
        .err()
        .expect("an unverifiable certificate is refused")
        .full();
    assert!(error.to_lowercase().contains("certificate"), "{error}");
    println!("without the CA: {error}");
}

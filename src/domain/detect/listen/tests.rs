//! The listen-call reader on server code, client code and tooling configs of each language.

use super::*;

fn port(language: Language, files: &[(&str, &str)]) -> Option<(u16, String)> {
    let scan = ProjectScan::from_files("p", files.iter().copied());
    from_code(&scan, Some(language)).map(|f| (f.value, f.reason.to_string()))
}

fn value(language: Language, file: &str, text: &str) -> Option<u16> {
    port(language, &[(file, text)]).map(|(p, _)| p)
}

#[test]
fn node_listen_calls_and_port_defaults() {
    let js = |t: &str| value(Language::Node, "src/index.js", t);
    assert_eq!(
        js("app.listen(4000, () => console.log('http://localhost:4000'))"),
        Some(4000)
    );
    assert_eq!(
        js("const PORT = process.env.PORT || 8081;\napp.listen(PORT);"),
        Some(8081)
    );
    assert_eq!(
        js("const port = Number(process.env.PORT ?? 3001)\nserver.listen(port)"),
        Some(3001)
    );
    assert_eq!(
        js("const port = parseInt(process.env.PORT || '5000', 10);\napp.listen(port)"),
        Some(5000)
    );
    assert_eq!(
        js("await fastify.listen({ port: 3002, host: '0.0.0.0' })"),
        Some(3002)
    );
    assert_eq!(js("serve({ fetch: app.fetch, port: 8787 })"), Some(8787));
    assert_eq!(js("// app.listen(9999)\napp.listen(3003)"), Some(3003));
}

#[test]
fn node_clients_and_test_runners_are_not_the_app() {
    let files = [
        (
            "karma.conf.js",
            "module.exports = (c) => c.set({ port: 9876 });",
        ),
        (
            "src/cache.js",
            "const client = redis.createClient({ port: 6379, host: 'redis' });\nconst pool = new Pool({ port: 5432 });",
        ),
        (
            "src/index.js",
            "const redisPort = process.env.REDIS_PORT || 6379;\napp.listen(process.env.PORT || 8080);",
        ),
        ("src/index.test.js", "app.listen(7777)"),
    ];
    assert_eq!(
        port(Language::Node, &files),
        Some((
            8080,
            "src/index.js:2: app.listen(process.env.PORT || 8080);".into()
        ))
    );
    assert_eq!(port(Language::Node, &files[..2]), None);
}

#[test]
fn python_run_calls_and_environment_defaults() {
    let py = |t: &str| value(Language::Python, "app.py", t);
    assert_eq!(
        py("if __name__ == '__main__':\n    app.run(host='0.0.0.0', port=8001, debug=True)"),
        Some(8001)
    );
    assert_eq!(
        py("uvicorn.run('main:app', host='0.0.0.0', port=int(os.environ.get('PORT', '8002')))"),
        Some(8002)
    );
    assert_eq!(
        py("PORT = int(os.getenv(\"PORT\", 8003))\napp.run(port=PORT)"),
        Some(8003)
    );
    assert_eq!(py("web.run_app(app, port=8004)"), Some(8004));
    assert_eq!(
        py("cache = redis.Redis(host='redis', port=6379)\nasyncio.run(main())"),
        None
    );
    assert_eq!(py("db = connect('postgresql://u@localhost:5432/x')"), None);
    assert_eq!(
        py("# app.run(port=9999)\nREDIS_PORT = os.getenv('REDIS_PORT', 6379)"),
        None
    );
}

#[test]
fn go_listeners_and_port_fallbacks() {
    let go = |t: &str| value(Language::Go, "main.go", t);
    assert_eq!(
        go("log.Fatal(http.ListenAndServe(\":8090\", mux))"),
        Some(8090)
    );
    assert_eq!(
        go(
            "port := os.Getenv(\"PORT\")\nif port == \"\" {\n\tport = \"8091\"\n}\nhttp.ListenAndServe(\":\"+port, nil)"
        ),
        Some(8091)
    );
    assert_eq!(
        go("srv := &http.Server{\n\tAddr: \":8092\",\n\tHandler: mux,\n}"),
        Some(8092)
    );
    assert_eq!(go("r.Run(\":8093\")"), Some(8093));
    assert_eq!(
        go("addr := flag.String(\"addr\", \":8094\", \"listen\")\nhttp.ListenAndServe(*addr, nil)"),
        Some(8094)
    );
    assert_eq!(
        go(
            "rdb := redis.NewClient(&redis.Options{Addr: \"localhost:6379\"})\ndb, _ := sql.Open(\"pgx\", \"postgres://localhost:5432/x\")"
        ),
        None
    );
}

#[test]
fn rust_binds_and_clients() {
    let rs = |t: &str| value(Language::Rust, "src/main.rs", t);
    assert_eq!(
        rs("let listener = tokio::net::TcpListener::bind(\"0.0.0.0:3005\").await?;"),
        Some(3005)
    );
    assert_eq!(
        rs("HttpServer::new(|| App::new()).bind((\"0.0.0.0\", 8085))?.run().await"),
        Some(8085)
    );
    assert_eq!(
        rs(
            "let addr = SocketAddr::from(([0, 0, 0, 0], 3006));\naxum::serve(TcpListener::bind(addr).await?, app)"
        ),
        Some(3006)
    );
    assert_eq!(
        rs(
            "let port = std::env::var(\"PORT\").unwrap_or_else(|_| \"3007\".to_string());\nlet l = TcpListener::bind(format!(\"0.0.0.0:{port}\")).await?;"
        ),
        Some(3007)
    );
    assert_eq!(
        rs("warp::serve(routes).run(([127, 0, 0, 1], 3030)).await;"),
        Some(3030)
    );
    assert_eq!(
        rs("let client = redis::Client::open(\"redis://127.0.0.1:6379/\")?;"),
        None
    );
}

#[test]
fn loopback_binds_are_reported_with_their_line() {
    let bind = |language: Language, file: &str, text: &str| {
        let scan = ProjectScan::from_files("p", [(file, text)]);
        loopback(&scan, Some(language)).map(|f| (f.value, f.reason.to_string()))
    };
    assert_eq!(
        bind(
            Language::Rust,
            "src/main.rs",
            "HttpServer::new(app)\n    .bind((\"127.0.0.1\", 8080))?"
        ),
        Some((
            "127.0.0.1".into(),
            "src/main.rs:2: .bind((\"127.0.0.1\", 8080))?".into()
        ))
    );
    assert_eq!(
        bind(Language::Node, "server.js", "app.listen(3000, 'localhost')").map(|b| b.0),
        Some("localhost".into())
    );
    assert_eq!(
        bind(
            Language::Go,
            "main.go",
            "addr := \"127.0.0.1:8080\"\nhttp.ListenAndServe(addr, nil)"
        )
        .map(|b| b.0),
        Some("127.0.0.1".into())
    );
    assert_eq!(
        bind(Language::Node, "server.js", "app.listen(3000, '0.0.0.0')"),
        None
    );
    assert_eq!(
        bind(
            Language::Python,
            "app.py",
            "r = Redis(host='localhost', port=6379)"
        ),
        None
    );
}

package io.kizuna.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A till's one keep-alive HTTP/1.1 connection, as lean as the load generator can make it: the harness shares two
 * cores with the server it measures, so every cycle the client spends is one the server does not get. It sends a
 * JSON POST and reads back the status and the body (Content-Length or chunked); nothing else of HTTP is needed.
 */
final class LaneConnection implements AutoCloseable {
    private final URI base;
    private final String authorization;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    record Response(int status, String body) {
    }

    LaneConnection(URI base, String bearer) {
        this.base = base;
        this.authorization = "Bearer " + bearer;
    }

    Response post(String path, String json) throws IOException {
        try {
            return exchange(path, json);
        } catch (IOException e) {
            // A connection the server closed while idle: open a fresh one and try once more.
            close();
            return exchange(path, json);
        }
    }

    private Response exchange(String path, String json) throws IOException {
        connect();
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nAuthorization: " + authorization + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        String statusLine = line();
        if (statusLine.isEmpty()) {
            throw new IOException("connection closed");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(header.substring(15).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        return new Response(status, chunked ? chunkedBody() : new String(in.readNBytes((int) Math.max(0, length)),
                StandardCharsets.UTF_8));
    }

    private String chunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line().strip(), 16); size > 0; size = Integer.parseInt(line().strip(), 16)) {
            body.write(in.readNBytes(size));
            line();
        }
        line();
        return body.toString(StandardCharsets.UTF_8);
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return line.toString();
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private void connect() throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}

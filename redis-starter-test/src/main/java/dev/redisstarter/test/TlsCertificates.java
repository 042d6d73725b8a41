package dev.redisstarter.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 and {@code localhost}, made at test time with the running JDK's
 * {@code keytool} (no secret is committed), written as the PEM files {@code redis-server} reads
 * ({@code --tls-cert-file}, {@code --tls-key-file}) and clients trust. The key lives in a temporary directory
 * and is good for two days.
 */
public final class TlsCertificates {

	private static final String STORE_PASSWORD = "test-only";

	private final Path directory;

	private final Path certificate;

	private final Path privateKey;

	private final SSLSocketFactory socketFactory;

	private TlsCertificates(Path directory) {
		this.directory = directory;
		this.certificate = directory.resolve("redis.crt");
		this.privateKey = directory.resolve("redis.key");
		Path store = directory.resolve("redis.p12");
		keytool("-genkeypair", "-alias", "redis", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
				"-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost", "-keystore", store.toString(),
				"-storetype", "PKCS12", "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
		try (InputStream in = Files.newInputStream(store)) {
			KeyStore keyStore = KeyStore.getInstance("PKCS12");
			keyStore.load(in, STORE_PASSWORD.toCharArray());
			Certificate cert = keyStore.getCertificate("redis");
			PrivateKey key = (PrivateKey) keyStore.getKey("redis", STORE_PASSWORD.toCharArray());
			Files.writeString(this.certificate, pem("CERTIFICATE", cert.getEncoded()), StandardCharsets.US_ASCII);
			Files.writeString(this.privateKey, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
			KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
			trust.load(null, null);
			trust.setCertificateEntry("redis", cert);
			TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(trust);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trustManagers.getTrustManagers(), null);
			this.socketFactory = context.getSocketFactory();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not read the test certificate made by keytool", ex);
		}
	}

	/**
	 * Makes a new key and certificate in a new temporary directory.
	 * @return the certificate files
	 */
	public static TlsCertificates create() {
		try {
			return new TlsCertificates(Files.createTempDirectory("redis-starter-tls-"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The certificate, PEM: what {@code redis-server} presents and what clients trust (it is its own CA).
	 * @return the file
	 */
	public Path certificate() {
		return this.certificate;
	}

	/**
	 * The unencrypted private key, PEM (PKCS#8).
	 * @return the file
	 */
	public Path privateKey() {
		return this.privateKey;
	}

	/**
	 * Sockets that trust this certificate only.
	 * @return the factory
	 */
	public SSLSocketFactory socketFactory() {
		return this.socketFactory;
	}

	/** Removes the files. */
	public void delete() {
		for (Path file : List.of(this.certificate, this.privateKey, this.directory.resolve("redis.p12"), this.directory)) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				// a temporary directory: left to the system
			}
		}
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

	private static void keytool(String... arguments) {
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		List<String> command = new java.util.ArrayList<>();
		command.add(keytool.toString());
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroy();
				throw new IllegalStateException("keytool failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + keytool, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while making a test certificate", ex);
		}
	}

}

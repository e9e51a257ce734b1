package io.kizuna.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where ../shared/data is: the kizuna.shared.data system property, set by the build. The conformance tests read
 * it in place and fail, naming the folder, when it is absent. (pos-adapter's tests have the same helper: a test
 * class of one module is not visible to another's.)
 */
public final class SharedData {
    private SharedData() {
    }

    public static Path folder(String child) {
        String configured = System.getProperty("kizuna.shared.data", "../../shared/data");
        Path folder = Path.of(configured).resolve(child).toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            fail("Conformance data is absent: " + folder + " does not exist. These tests read ../shared/data beside"
                    + " the checkout; point -Dkizuna.shared.data at it.");
        }
        return folder;
    }
}

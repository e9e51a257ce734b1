package io.kizuna.db;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.SharedCacheMode;
import jakarta.persistence.ValidationMode;
import jakarta.persistence.spi.ClassTransformer;
import jakarta.persistence.spi.PersistenceUnitInfo;
import jakarta.persistence.spi.PersistenceUnitTransactionType;
import org.eclipse.persistence.config.PersistenceUnitProperties;
import org.eclipse.persistence.jpa.PersistenceProvider;

/** Bootstraps EclipseLink directly from a DataSource and a list of entity classes: no CDI, no persistence.xml. */
final class PersistenceUnits {
    private PersistenceUnits() {
    }

    private static final AtomicInteger UNITS = new AtomicInteger();

    /**
     * A factory with an EclipseLink session of its own. EclipseLink keeps one session per unit name and JVM and
     * would hand a second factory of the same name the first one's pool and schema; each factory therefore gets
     * a unique unit and session name.
     */
    static EntityManagerFactory create(String baseName, DataSource dataSource, List<Class<?>> entityClasses) {
        String name = baseName + "-" + UNITS.incrementAndGet();
        Map<String, Object> properties = Map.ofEntries(
                Map.entry(PersistenceUnitProperties.SESSION_NAME, name),
                // The entity classes are woven at build time (api/pom.xml): change tracking without backup clones, and
                // attribute access through generated methods instead of reflection.
                Map.entry(PersistenceUnitProperties.WEAVING, "static"),
                // Several nodes write the same rows: every read goes to the database, never a stale shared cache.
                Map.entry(PersistenceUnitProperties.CACHE_SHARED_DEFAULT, "false"),
                Map.entry(PersistenceUnitProperties.BATCH_WRITING, "JDBC"),
                Map.entry(PersistenceUnitProperties.BATCH_WRITING_SIZE, "64"),
                Map.entry(PersistenceUnitProperties.TARGET_DATABASE, "MySQL"),
                Map.entry(PersistenceUnitProperties.DDL_GENERATION, PersistenceUnitProperties.NONE),
                Map.entry(PersistenceUnitProperties.LOGGING_LOGGER, "JavaLogger"),
                Map.entry(PersistenceUnitProperties.LOGGING_LEVEL, "WARNING"),
                // Bind values are members' data: they never go to the log, not even with a failed statement.
                Map.entry(PersistenceUnitProperties.LOGGING_PARAMETERS, "false"),
                Map.entry(PersistenceUnitProperties.ORDER_UPDATES, "true"),
                // Every EntityManager is closed right after its commit: resuming its persistence context for further
                // use (a backup clone of every managed entity) would be wasted work on the hot path.
                Map.entry(PersistenceUnitProperties.PERSISTENCE_CONTEXT_CLOSE_ON_COMMIT, "true"),
                Map.entry(PersistenceUnitProperties.JDBC_BIND_PARAMETERS, "true"));
        return new PersistenceProvider().createContainerEntityManagerFactory(
                new UnitInfo(name, dataSource, entityClasses), properties);
    }

    private record UnitInfo(String name, DataSource dataSource, List<Class<?>> entityClasses)
            implements PersistenceUnitInfo {

        @Override
        public String getPersistenceUnitName() {
            return name;
        }

        @Override
        public String getPersistenceProviderClassName() {
            return PersistenceProvider.class.getName();
        }

        @Override
        public PersistenceUnitTransactionType getTransactionType() {
            return PersistenceUnitTransactionType.RESOURCE_LOCAL;
        }

        @Override
        public DataSource getJtaDataSource() {
            return null;
        }

        @Override
        public DataSource getNonJtaDataSource() {
            return dataSource;
        }

        @Override
        public List<String> getMappingFileNames() {
            return List.of();
        }

        @Override
        public List<URL> getJarFileUrls() {
            return List.of();
        }

        @Override
        public URL getPersistenceUnitRootUrl() {
            Class<?> anchor = entityClasses.isEmpty() ? PersistenceUnits.class : entityClasses.getFirst();
            return anchor.getProtectionDomain().getCodeSource().getLocation();
        }

        @Override
        public List<String> getManagedClassNames() {
            // The Instant converter applies itself to every entity, so it belongs to every unit.
            return Stream.concat(entityClasses.stream(), Stream.of(InstantConverter.class))
                    .map(Class::getName)
                    .toList();
        }

        @Override
        public boolean excludeUnlistedClasses() {
            return true;
        }

        @Override
        public SharedCacheMode getSharedCacheMode() {
            return SharedCacheMode.NONE;
        }

        @Override
        public ValidationMode getValidationMode() {
            return ValidationMode.NONE;
        }

        @Override
        public Properties getProperties() {
            return new Properties();
        }

        @Override
        public String getPersistenceXMLSchemaVersion() {
            return "3.0";
        }

        @Override
        public ClassLoader getClassLoader() {
            return entityClasses.isEmpty()
                    ? PersistenceUnits.class.getClassLoader()
                    : entityClasses.getFirst().getClassLoader();
        }

        @Override
        public void addTransformer(ClassTransformer transformer) {
            // Weaving is static: the build wove the entity classes already.
        }

        @Override
        public ClassLoader getNewTempClassLoader() {
            return getClassLoader();
        }
    }
}

package io.tokengate.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A start-up error's message carries its cause chain, so a server that logs only the message still shows the root cause. */
class ConfigurationExceptionTest {

    @Test
    void theMessageEndsWithTheCausesTheProblemDoesNotAlreadyName() {
        Exception root = new ClassNotFoundException("org.hibernate.proxy.HibernateProxy");
        Exception middle = new IllegalStateException("Unable to build Hibernate SessionFactory", root);
        Exception top = new RuntimeException("[PersistenceUnit: tokengate] Unable to build Hibernate SessionFactory", middle);
        ConfigurationException e = new ConfigurationException(ServletLikeKey.DATASOURCE,
                "cannot open the JPA store on java:comp/DefaultDataSource: " + top.getMessage(), top);
        assertEquals("TG-0001 TokenGate configuration: tokengate.datasource: cannot open the JPA store on java:comp/DefaultDataSource:"
                + " [PersistenceUnit: tokengate] Unable to build Hibernate SessionFactory; caused by java.lang.ClassNotFoundException:"
                + " org.hibernate.proxy.HibernateProxy", e.getMessage(), "the middle cause's message is inside the problem already");
        assertEquals(top, e.getCause());
    }

    @Test
    void withoutACauseOrWithCausesAlreadyNamedTheMessageIsTheProblem() {
        assertEquals("TG-0001 TokenGate configuration: tokengate.datasource: no DataSource", new ConfigurationException(
                ServletLikeKey.DATASOURCE, "no DataSource").getMessage());
        Exception named = new IllegalArgumentException("bad value");
        assertEquals("TG-0001 TokenGate configuration: tokengate.datasource: bad value",
                new ConfigurationException(ServletLikeKey.DATASOURCE, "bad value", named).getMessage());
        assertEquals("TG-0001 TokenGate configuration: tokengate.datasource: x; caused by java.lang.NullPointerException",
                new ConfigurationException(ServletLikeKey.DATASOURCE, "x", new NullPointerException()).getMessage(), "a cause without a message");
    }

    /** A key as the servlet module declares it (core does not know its settings). */
    private static final class ServletLikeKey {
        static final SettingKey DATASOURCE = new SettingKey("tokengate.datasource", "java:comp/DefaultDataSource", null, "test");
    }
}

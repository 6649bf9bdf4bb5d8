package io.txlab.twopc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class TwopcCoordinatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(TwopcCoordinatorApplication.class, args);
    }
}

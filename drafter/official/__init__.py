"""DfE and Ofsted official statistics: the bundled dataset, the register of authorities, comparators by period."""
